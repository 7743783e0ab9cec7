import type { OrganizationJson, RequirementJson, UserJson } from '../contract/index.ts';
import type { Organization } from '../core/directory/organization.ts';
import { Money } from '../core/money/money.ts';
import type { Requirement } from '../core/requirements/requirement.ts';
import type { UserWithOrganization } from '../store/user.repository.ts';

/** Domain values → the JSON of the contract. Money leaves as decimal strings, never numbers. */
export const present = {
  requirement(requirement: Requirement): RequirementJson {
    return {
      id: requirement.id,
      ref: requirement.ref,
      title: requirement.title,
      category: requirement.category,
      quantity: requirement.quantity,
      unit: requirement.unit,
      unitCost: Money.toJson(requirement.unitCost),
      estimatedCost: Money.toJson(Money.times(requirement.unitCost, BigInt(requirement.quantity))),
      rank: requirement.rank,
      status: requirement.status,
      visibility: requirement.visibility,
      notes: requirement.notes,
      version: requirement.version,
      createdAt: requirement.createdAt,
      updatedAt: requirement.updatedAt,
    };
  },
  organization(organization: Organization): OrganizationJson {
    return { ...organization };
  },
  user(user: UserWithOrganization): UserJson {
    return {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      organization: user.organizationCode,
      role: user.role,
      disabled: user.disabled,
      createdAt: user.createdAt,
    };
  },
} as const;
