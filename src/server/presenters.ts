import type { OrganizationJson, PledgeJson, RequirementJson, UserJson } from '../contract/index.ts';
import type { Organization } from '../core/directory/organization.ts';
import { Money } from '../core/money/money.ts';
import { Earmark } from '../core/pledges/earmark.ts';
import type { Requirement } from '../core/requirements/requirement.ts';
import type { StoredPledge } from '../store/pledge.repository.ts';
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
  pledge(pledge: StoredPledge): PledgeJson {
    return {
      id: pledge.id,
      ref: pledge.ref,
      donor: pledge.donor,
      amount: pledge.amount && Money.toJson(pledge.amount),
      announcedOn: pledge.announcedOn,
      forum: pledge.forum,
      source: pledge.source,
      stage: pledge.stage,
      committedOn: pledge.committedOn,
      paidOn: pledge.paidOn,
      earmark: { ...Earmark.toJson(pledge.earmark) } as PledgeJson['earmark'],
      visibility: pledge.visibility,
      duplicateOf: pledge.duplicateOf,
      usd: pledge.usd && {
        amount: Money.format(pledge.usd.amount),
        currency: 'USD',
        rate: pledge.usd.perUsd,
        rateDate: pledge.usd.rateDate,
        rateSource: pledge.usd.rateSource,
      },
      notes: pledge.notes,
      version: pledge.version,
      createdAt: pledge.createdAt,
      updatedAt: pledge.updatedAt,
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
