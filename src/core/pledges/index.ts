export { Earmark, type EarmarkJson } from './earmark.ts';
export {
  type NewPledge,
  type Pledge,
  type PledgeStage,
  Pledges,
  type PledgeTransition,
  type PledgeVisibility,
  pledgeStages,
  pledgeVisibilities,
  type UsdValue,
} from './pledge.ts';
export { PledgeLedger } from './pledge-ledger.ts';
