export { type Action, actions, Policy, policyTable } from './policy.ts';
export {
  type OrganizationKind,
  organizationKinds,
  type Principal,
  principals,
  type Role,
  Roles,
  roles,
} from './roles.ts';
