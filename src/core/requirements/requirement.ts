import { Money } from '../money/money.ts';
import type { RequirementStatus } from './requirement-status.ts';

export const requirementVisibilities = ['restricted', 'public'] as const;
export type RequirementVisibility = (typeof requirementVisibilities)[number];

/** A line of the prioritised list. */
export interface Requirement {
  readonly id: string;
  readonly ref: string;
  readonly title: string;
  readonly category: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitCost: Money;
  readonly rank: number | null;
  readonly status: RequirementStatus;
  readonly visibility: RequirementVisibility;
  readonly notes: string;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const Requirements = {
  /** References are stable and human: REQ-0001, REQ-0042, REQ-12345. */
  ref(sequenceNumber: number): string {
    return `REQ-${String(sequenceNumber).padStart(4, '0')}`;
  },
  /**
   * quantity × unit cost. Every line is shown and exported with it, so a line whose estimate is
   * beyond the largest amount handled is refused (MONEY_OUT_OF_RANGE) before it is written.
   */
  estimatedCost(line: Pick<Requirement, 'quantity' | 'unitCost'>): Money {
    return Money.times(line.unitCost, BigInt(line.quantity));
  },
} as const;
