import { describe, expect, it } from 'vitest';
import type { RequirementHistoryEventJson } from '../../src/contract/index.ts';
import {
  historyChangeOf,
  oldestFirst,
  validationOf,
} from '../../src/web/features/priority-list/requirement-history.ts';

function event(
  seq: number,
  action: string,
  actorOrganization: string | null = 'UKR',
): RequirementHistoryEventJson {
  return {
    seq,
    occurredAt: `2026-02-${String(seq).padStart(2, '0')}T09:30:00.000Z`,
    action,
    actorOrganization,
    hash: 'ab'.repeat(32),
  };
}

describe('historyChangeOf', () => {
  it('names what each action of a line did', () => {
    expect(historyChangeOf('requirement.create')).toEqual({ kind: 'created' });
    expect(historyChangeOf('requirement.import')).toEqual({ kind: 'imported' });
    expect(historyChangeOf('requirement.edit')).toEqual({ kind: 'edited' });
    expect(historyChangeOf('requirement.submit')).toEqual({ kind: 'status', to: 'submitted' });
    expect(historyChangeOf('requirement.validate')).toEqual({ kind: 'status', to: 'validated' });
    expect(historyChangeOf('requirement.reject')).toEqual({ kind: 'status', to: 'rejected' });
    expect(historyChangeOf('requirement.withdraw')).toEqual({ kind: 'status', to: 'withdrawn' });
    expect(historyChangeOf('requirement.follow-package')).toEqual({ kind: 'followed-package' });
  });

  it('keeps an action it does not know as it is rather than guessing', () => {
    expect(historyChangeOf('requirement.archive')).toEqual({ kind: 'other', action: 'requirement.archive' });
    expect(historyChangeOf('requirement.toString')).toEqual({
      kind: 'other',
      action: 'requirement.toString',
    });
  });
});

describe('oldestFirst', () => {
  it('orders events by their place in the chain without changing the list it was given', () => {
    const given = [
      event(7, 'requirement.submit'),
      event(3, 'requirement.create'),
      event(9, 'requirement.edit'),
    ];
    expect(oldestFirst(given).map((each) => each.seq)).toEqual([3, 7, 9]);
    expect(given.map((each) => each.seq)).toEqual([7, 3, 9]);
  });
});

describe('validationOf', () => {
  it('is null while no coordinator has judged the line', () => {
    expect(validationOf([])).toBeNull();
    expect(validationOf([event(1, 'requirement.create'), event(2, 'requirement.submit')])).toBeNull();
  });

  it('is the latest verdict, with when and by whom, even when events arrive out of order', () => {
    const events = [
      event(5, 'requirement.follow-package', null),
      event(3, 'requirement.validate', 'NATO'),
      event(1, 'requirement.create'),
    ];
    expect(validationOf(events)).toEqual({
      outcome: 'validated',
      occurredAt: '2026-02-03T09:30:00.000Z',
      actorOrganization: 'NATO',
    });
    expect(
      validationOf([event(2, 'requirement.submit'), event(4, 'requirement.reject', 'NATO')]),
    ).toMatchObject({
      outcome: 'rejected',
    });
  });
});
