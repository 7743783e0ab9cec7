import type { Kysely } from 'kysely';
import { readInteger } from './columns.ts';
import type { Database } from './database.ts';

/**
 * The exact content (canonical JSON) that an audit event's after-digest covers, for the writes that
 * give receipts. Append and read only, like the chain it belongs to.
 */
export class AuditDocumentRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(seq: number, objectType: string, objectId: string, document: string): Promise<void> {
    await this.db
      .insertInto('audit_document')
      .values({ seq, object_type: objectType, object_id: objectId, document })
      .execute();
  }

  /** The documents of one object, newest first. */
  async ofObject(objectType: string, objectId: string): Promise<{ seq: number; document: string }[]> {
    const rows = await this.db
      .selectFrom('audit_document')
      .select(['seq', 'document'])
      .where('object_type', '=', objectType)
      .where('object_id', '=', objectId)
      .orderBy('seq', 'desc')
      .execute();
    return rows.map((row) => ({ seq: readInteger(row.seq), document: row.document }));
  }
}
