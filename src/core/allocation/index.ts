export {
  AllocationEngine,
  type EngineAllocation,
  type EngineLine,
  type EnginePlan,
  type EnginePledge,
  type LineUse,
  type PledgeUse,
  type Shortfall,
  type ShortfallMoney,
  type ShortfallMoneySummary,
} from './allocation-engine.ts';
