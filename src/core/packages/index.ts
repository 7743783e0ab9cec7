export { Deliveries, type Delivery, type NewDelivery } from './delivery.ts';
export { coverageDecimals, type LinePrice, type Package, type PackageLine, Packages } from './package.ts';
export {
  type LeftOut,
  type PackageProposal,
  PackageProposals,
  type ProposalCandidate,
  type ProposalInput,
  type ProposedLine,
} from './package-proposal.ts';
export {
  PackageStatus,
  packageStatuses,
  type RequestedPackageTransition,
  requestedPackageTransitions,
} from './package-status.ts';
export { PackagedRequirement, type RequirementShare } from './packaged-requirement.ts';
