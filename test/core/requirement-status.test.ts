import { describe, expect, test } from 'vitest';
import { Policy } from '../../src/core/access/policy.ts';
import { Failure } from '../../src/core/errors.ts';
import {
  type RequestedTransition,
  RequirementStatus,
  requestedTransitions,
  requirementStatuses,
} from '../../src/core/requirements/requirement-status.ts';

/**
 * The status machine of a requirement line, written out here independently of the code:
 * draft → submitted → validated; a submitted or validated line can be rejected; a line can be
 * withdrawn until it is packaged. Everything else is refused.
 */
const allowed = new Set([
  'draft→submitted',
  'submitted→validated',
  'submitted→rejected',
  'validated→rejected',
  'draft→withdrawn',
  'submitted→withdrawn',
  'validated→withdrawn',
]);

const pairs = requirementStatuses.flatMap((from) => requestedTransitions.map((to) => [from, to] as const));

describe('RequirementStatus.transition', () => {
  test.each(pairs.filter(([from, to]) => allowed.has(`${from}→${to}`)))('allows %s → %s', (from, to) => {
    expect(RequirementStatus.transition(from, to)).toBe(to);
  });

  test.each(pairs.filter(([from, to]) => !allowed.has(`${from}→${to}`)))(
    'refuses %s → %s with INVALID_TRANSITION',
    (from, to) => {
      let thrown: unknown;
      try {
        RequirementStatus.transition(from, to);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(Failure);
      expect((thrown as Failure).code).toBe('INVALID_TRANSITION');
      expect((thrown as Failure).detail).toContain(`'${from}' to '${to}'`);
    },
  );

  test('covers every pair of status and requested transition', () => {
    expect(pairs).toHaveLength(requirementStatuses.length * requestedTransitions.length);
    for (const transition of allowed) {
      const [from, to] = transition.split('→');
      expect(requirementStatuses).toContain(from);
      expect(requestedTransitions).toContain(to);
    }
  });
});

describe('RequirementStatus', () => {
  test('rejected and withdrawn lines leave the list; every other status keeps its rank', () => {
    const inactive = requirementStatuses.filter((status) => !RequirementStatus.isActive(status));
    expect(inactive).toEqual(['rejected', 'withdrawn']);
  });

  test('only draft and submitted lines can be edited', () => {
    const editable = requirementStatuses.filter((status) => RequirementStatus.isEditable(status));
    expect(editable).toEqual(['draft', 'submitted']);
  });

  test.each<[RequestedTransition, string, readonly string[]]>([
    ['submitted', 'requirement.submit', ['recipient']],
    ['withdrawn', 'requirement.withdraw', ['recipient']],
    ['validated', 'requirement.validate', ['coordinator']],
    ['rejected', 'requirement.reject', ['coordinator']],
  ])('asking for %s is the action %s, which only %j may perform', (to, action, roles) => {
    expect(RequirementStatus.actionFor(to)).toBe(action);
    const permitted = ['recipient', 'coordinator', 'supplier', 'donor', 'auditor', 'admin', 'public'].filter(
      (principal) => Policy.allows(principal as never, RequirementStatus.actionFor(to)),
    );
    expect(permitted).toEqual(roles);
  });
});
