import type { Migration } from 'kysely';
import * as initial from './2026-11-26-0001-initial.ts';
import * as idempotency from './2026-11-26-0002-idempotency.ts';
import * as auditCheckpoints from './2026-11-26-0003-audit-checkpoints.ts';
import * as pledgesLedger from './2026-11-26-0004-pledges-ledger.ts';
import * as packages from './2026-11-26-0005-packages.ts';
import * as postingBalanceIndex from './2026-11-26-0006-posting-balance-index.ts';
import * as receiptsLockout from './2026-11-26-0007-receipts-lockout.ts';

/** Every migration, in order. Names are frozen: they are the keys recorded in the database. */
export const migrations: Readonly<Record<string, Migration>> = {
  '2026-11-26-0001-initial': initial,
  '2026-11-26-0002-idempotency': idempotency,
  '2026-11-26-0003-audit-checkpoints': auditCheckpoints,
  '2026-11-26-0004-pledges-ledger': pledgesLedger,
  '2026-11-26-0005-packages': packages,
  '2026-11-26-0006-posting-balance-index': postingBalanceIndex,
  '2026-11-26-0007-receipts-lockout': receiptsLockout,
};
