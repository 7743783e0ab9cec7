import type { Kysely } from 'kysely';
import type { Checkpoint } from '../core/audit/checkpoint.ts';
import { readInteger } from './columns.ts';
import type { Database } from './database.ts';

/** Signed checkpoints and the public keys that made them: append and read only. */
export class AuditCheckpointRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async registerKey(keyId: string, publicKeyPem: string, createdAt: string): Promise<void> {
    await this.db
      .insertInto('audit_signing_key')
      .values({ key_id: keyId, public_key_pem: publicKeyPem, created_at: createdAt })
      .onConflict((oc) => oc.column('key_id').doNothing())
      .execute();
  }

  async publicKeys(): Promise<Map<string, string>> {
    const rows = await this.db.selectFrom('audit_signing_key').select(['key_id', 'public_key_pem']).execute();
    return new Map(rows.map((row) => [row.key_id, row.public_key_pem]));
  }

  async insert(checkpoint: Checkpoint): Promise<void> {
    await this.db
      .insertInto('audit_checkpoint')
      .values({
        seq: checkpoint.seq,
        hash: checkpoint.hash,
        signed_at: checkpoint.signedAt,
        key_id: checkpoint.keyId,
        signature: checkpoint.signature,
      })
      .execute();
  }

  async latest(): Promise<Checkpoint | undefined> {
    const row = await this.db
      .selectFrom('audit_checkpoint')
      .selectAll()
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && toCheckpoint(row);
  }

  async at(seq: number): Promise<Checkpoint | undefined> {
    const row = await this.db
      .selectFrom('audit_checkpoint')
      .selectAll()
      .where('seq', '=', seq)
      .executeTakeFirst();
    return row && toCheckpoint(row);
  }

  /** The first checkpoint at or after `seq`: the one that covers the event of that sequence. */
  async covering(seq: number): Promise<Checkpoint | undefined> {
    const row = await this.db
      .selectFrom('audit_checkpoint')
      .selectAll()
      .where('seq', '>=', seq)
      .orderBy('seq')
      .limit(1)
      .executeTakeFirst();
    return row && toCheckpoint(row);
  }

  async *all(batchSize = 1000): AsyncGenerator<Checkpoint> {
    for await (const batch of this.batches(batchSize)) yield* batch;
  }

  /** Every checkpoint in sequence order, a batch at a time (keyset pagination on the sequence). */
  async *batches(batchSize = 2000): AsyncGenerator<Checkpoint[]> {
    let after = 0;
    for (;;) {
      const rows = await this.db
        .selectFrom('audit_checkpoint')
        .selectAll()
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(batchSize)
        .execute();
      if (rows.length) yield rows.map(toCheckpoint);
      const last = rows[rows.length - 1];
      if (!last || rows.length < batchSize) return;
      after = readInteger(last.seq);
    }
  }
}

function toCheckpoint(row: {
  seq: number | bigint;
  hash: string;
  signed_at: string;
  key_id: string;
  signature: string;
}): Checkpoint {
  return {
    seq: readInteger(row.seq),
    hash: row.hash,
    signedAt: row.signed_at,
    keyId: row.key_id,
    signature: row.signature,
  };
}
