export const roles = ['recipient', 'coordinator', 'supplier', 'donor', 'auditor', 'admin'] as const;
export type Role = (typeof roles)[number];

/** Who is asking: a role, or the public (no login). */
export type Principal = Role | 'public';
export const principals: readonly Principal[] = [...roles, 'public'];

export const organizationKinds = [
  'recipient',
  'coordinator',
  'supplier',
  'donor',
  'audit',
  'operator',
] as const;
export type OrganizationKind = (typeof organizationKinds)[number];

/** Every user belongs to one organisation, and its role follows the organisation's kind. */
const roleOfKind: Readonly<Record<OrganizationKind, Role>> = {
  recipient: 'recipient',
  coordinator: 'coordinator',
  supplier: 'supplier',
  donor: 'donor',
  audit: 'auditor',
  operator: 'admin',
};

export const Roles = {
  isRole(value: string): value is Role {
    return (roles as readonly string[]).includes(value);
  },
  isOrganizationKind(value: string): value is OrganizationKind {
    return (organizationKinds as readonly string[]).includes(value);
  },
  fitsOrganization(role: Role, kind: OrganizationKind): boolean {
    return roleOfKind[kind] === role;
  },
  roleOf(kind: OrganizationKind): Role {
    return roleOfKind[kind];
  },
} as const;
