import type { PackageView } from '../app/packages.ts';
import type {
  DeliveryJson,
  OrganizationJson,
  PackageJson,
  PledgeJson,
  ProposalJson,
  RequirementJson,
  UserJson,
} from '../contract/index.ts';
import type { Organization } from '../core/directory/organization.ts';
import { Money } from '../core/money/money.ts';
import type { Delivery } from '../core/packages/delivery.ts';
import type { PackageProposal } from '../core/packages/package-proposal.ts';
import { Earmark } from '../core/pledges/earmark.ts';
import { type Requirement, Requirements } from '../core/requirements/requirement.ts';
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
      estimatedCost: Money.toJson(Requirements.estimatedCost(requirement)),
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
  package(view: PackageView): PackageJson {
    const { package: pkg } = view;
    return {
      id: pkg.id,
      ref: pkg.ref,
      name: pkg.name,
      rank: pkg.rank,
      target: Money.toJson(pkg.target),
      price: view.price && Money.toJson(view.price),
      status: pkg.status,
      lines: pkg.lines.map((line) => ({
        id: line.id,
        requirementId: line.requirementId,
        requirementRef: line.requirementRef,
        category: line.category,
        quantity: line.quantity,
        amount: line.amount && Money.toJson(line.amount),
        funded: Money.toJson(view.fundedByLine.get(line.id) ?? Money.zero(view.funded.currency)),
        deliveredQuantity: line.deliveredQuantity,
        receivedQuantity: line.receivedQuantity,
      })),
      funded: Money.toJson(view.funded),
      coverage: view.coverage,
      deliveries: view.deliveries.map(present.delivery),
      version: pkg.version,
      createdAt: pkg.createdAt,
      updatedAt: pkg.updatedAt,
    };
  },
  delivery(delivery: Delivery): DeliveryJson {
    return { ...delivery };
  },
  proposal(proposal: PackageProposal): ProposalJson {
    return {
      name: proposal.name,
      target: Money.toJson(proposal.target),
      lines: proposal.lines.map((line) => ({ ...line, estimatedAmount: Money.toJson(line.estimatedAmount) })),
      total: Money.toJson(proposal.total),
      remaining: Money.toJson(proposal.remaining),
      notIncluded: proposal.notIncluded.map((left) => ({
        ...left,
        estimatedAmount: left.estimatedAmount && Money.toJson(left.estimatedAmount),
      })),
      notIncludedCount: proposal.notIncludedCount,
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
