import { type Kysely, sql } from 'kysely';
import type { Sha256Hex } from '../core/audit/audit-event.ts';
import { AllocationRepository } from './allocation.repository.ts';
import { ApiTokenRepository } from './api-token.repository.ts';
import { AuditRepository } from './audit.repository.ts';
import { AuditCheckpointRepository } from './audit-checkpoint.repository.ts';
import { AuditDocumentRepository } from './audit-document.repository.ts';
import { CategoryRepository } from './category.repository.ts';
import type { Database } from './database.ts';
import type { DialectName } from './dialect/connect.ts';
import { FxRateRepository } from './fx-rate.repository.ts';
import { IdempotencyRepository } from './idempotency.repository.ts';
import { LedgerRepository } from './ledger.repository.ts';
import { LoginFailureRepository } from './login-failure.repository.ts';
import { OrganizationRepository } from './organization.repository.ts';
import { PackageRepository } from './package.repository.ts';
import { PledgeRepository } from './pledge.repository.ts';
import { PriorityListRepository } from './priority-list.repository.ts';
import { RequirementRepository } from './requirement.repository.ts';
import { SequenceRepository } from './sequence.repository.ts';
import { SessionRepository } from './session.repository.ts';
import { UserRepository } from './user.repository.ts';

/** Every repository, bound to one connection or one transaction. */
export class Repositories {
  readonly organizations: OrganizationRepository;
  readonly users: UserRepository;
  readonly loginFailures: LoginFailureRepository;
  readonly sessions: SessionRepository;
  readonly apiTokens: ApiTokenRepository;
  readonly categories: CategoryRepository;
  readonly requirements: RequirementRepository;
  readonly priorityList: PriorityListRepository;
  readonly sequences: SequenceRepository;
  readonly audit: AuditRepository;
  readonly checkpoints: AuditCheckpointRepository;
  readonly auditDocuments: AuditDocumentRepository;
  readonly idempotency: IdempotencyRepository;
  readonly fxRates: FxRateRepository;
  readonly pledges: PledgeRepository;
  readonly ledger: LedgerRepository;
  readonly packages: PackageRepository;
  readonly allocations: AllocationRepository;

  constructor(db: Kysely<Database>, dialect: DialectName, sha256: Sha256Hex) {
    this.organizations = new OrganizationRepository(db);
    this.users = new UserRepository(db);
    this.loginFailures = new LoginFailureRepository(db);
    this.sessions = new SessionRepository(db);
    this.apiTokens = new ApiTokenRepository(db);
    this.categories = new CategoryRepository(db);
    this.requirements = new RequirementRepository(db);
    this.priorityList = new PriorityListRepository(db);
    this.sequences = new SequenceRepository(db);
    this.audit = new AuditRepository(db, dialect, sha256);
    this.checkpoints = new AuditCheckpointRepository(db);
    this.auditDocuments = new AuditDocumentRepository(db);
    this.idempotency = new IdempotencyRepository(db);
    this.fxRates = new FxRateRepository(db);
    this.pledges = new PledgeRepository(db);
    this.ledger = new LedgerRepository(db);
    this.packages = new PackageRepository(db);
    this.allocations = new AllocationRepository(db);
  }
}

const transactionAttempts = 5;

/** PostgreSQL's deadlock_detected (40P01) and serialization_failure (40001): safe to run again. */
function isTransientConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

/** One transaction per use case: the write, its ledger entries and its audit event commit together. */
export class Store {
  readonly read: Repositories;

  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: DialectName,
    private readonly sha256: Sha256Hex,
  ) {
    this.read = new Repositories(db, dialect, sha256);
  }

  /**
   * Runs `work` in one transaction. On PostgreSQL, two writers that lock the same rows in different
   * orders (an apply marking requirements funded while a reorder moves them) can deadlock, and the
   * server aborts one of them; the aborted one wrote nothing, so it runs again, up to
   * `transactionAttempts` times in all. `work` must therefore touch nothing but the database.
   */
  async transaction<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.db
          .transaction()
          .execute((trx) => work(new Repositories(trx, this.dialect, this.sha256)));
      } catch (error) {
        if (attempt >= transactionAttempts || !isTransientConflict(error)) throw error;
        // A short, growing, jittered pause, so that the two writers do not collide again at once.
        await new Promise((resolve) => setTimeout(resolve, attempt * 5 + Math.random() * attempt * 10));
      }
    }
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
