import type { MeJson, PledgeJson } from '../../../contract/index.ts';
import type { PledgeStage } from '../../api/client.ts';

type Role = MeJson['role'];

export interface PledgePermissions {
  readonly read: boolean;
  readonly create: boolean;
  /** Coordinators and auditors see every donor's pledges; a donor only its own. */
  readonly seesAllDonors: boolean;
  /** The donor every pledge of this user is for (a donor's own code), or null to choose one. */
  readonly fixedDonor: string | null;
  /** A coordinator records a pledge on a donor's behalf and cites its public source. */
  readonly sourceRequired: boolean;
  /** The stages this user may move the pledge to now, in the order of the buttons. */
  nextStagesOf(pledge: PledgeJson): readonly Exclude<PledgeStage, 'announced'>[];
}

/**
 * What the pledge pages offer to each role. It mirrors the server's policy table and stage machine
 * only to hide what could not work; the server decides, and a refusal is shown as an error.
 */
export function pledgePermissions(me: MeJson): PledgePermissions {
  const role: Role = me.role;
  const own = me.organization.code;
  return {
    read: role === 'donor' || role === 'coordinator' || role === 'auditor',
    create: role === 'donor' || role === 'coordinator',
    seesAllDonors: role === 'coordinator' || role === 'auditor',
    fixedDonor: role === 'donor' ? own : null,
    sourceRequired: role === 'coordinator',
    nextStagesOf(pledge) {
      const mayMove = role === 'coordinator' || (role === 'donor' && pledge.donor === own);
      // A re-announcement carries no money of its own: it stays announced.
      if (!mayMove || pledge.duplicateOf !== null) return [];
      if (pledge.stage === 'announced') return ['committed', 'paid'];
      if (pledge.stage === 'committed') return ['paid'];
      return [];
    },
  };
}
