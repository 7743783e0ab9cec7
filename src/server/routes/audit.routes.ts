import Type from 'typebox';
import { auditHead, listAuditEvents, verifyAuditChain } from '../../app/audit.ts';
import type { AppContext } from '../../app/context.ts';
import { exportAuditEvents } from '../../app/export/list-downloads.ts';
import { DateSchema, ExportFormatSchema, PageSchema } from '../../contract/index.ts';
import { Limits } from '../../core/limits.ts';
import { actorOf } from '../plugins/access.ts';
import { pageOf, type Router, sendDownload } from './route-helpers.ts';

const AuditEventSchema = Type.Object({
  seq: Type.Integer(),
  occurredAt: Type.String({ format: 'date-time' }),
  actorUserId: Type.Union([Type.String(), Type.Null()]),
  actorOrganization: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  objectType: Type.String(),
  objectId: Type.String(),
  beforeDigest: Type.Union([Type.String(), Type.Null()]),
  afterDigest: Type.Union([Type.String(), Type.Null()]),
  prevHash: Type.String(),
  hash: Type.String(),
});

const VerdictSchema = Type.Object({
  ok: Type.Boolean(),
  length: Type.Integer(),
  head: Type.String(),
  checkpoints: Type.Integer(),
  firstBadSeq: Type.Optional(Type.Integer()),
  firstBadCheckpoint: Type.Optional(Type.Integer()),
  reason: Type.Optional(Type.String()),
});

const CheckpointSchema = Type.Object({
  seq: Type.Integer(),
  hash: Type.String(),
  signedAt: Type.String({ format: 'date-time' }),
  keyId: Type.String(),
  signature: Type.String({ description: 'Ed25519 over the canonical JSON statement, base64' }),
});

export function auditRoutes(app: Router, context: AppContext): void {
  app.get(
    '/api/v1/audit',
    {
      config: { action: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'The audit chain, in sequence order; searched by object, actor and UTC days (inclusive)',
        querystring: Type.Object(
          {
            limit: Type.Optional(
              Type.Integer({ minimum: 1, maximum: Limits.pageSizeMax, default: Limits.pageSizeDefault }),
            ),
            cursor: Type.Optional(Type.String({ maxLength: 512 })),
            objectType: Type.Optional(Type.String({ maxLength: Limits.codeLengthMax })),
            objectId: Type.Optional(Type.String({ maxLength: 64 })),
            object: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 64,
                description: 'An object type (pledge) or an object id: its events',
              }),
            ),
            actor: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: Limits.emailLengthMax,
                description: "A user's email or id, or an organisation code: the events it caused",
              }),
            ),
            from: Type.Optional(DateSchema),
            to: Type.Optional(DateSchema),
            format: Type.Optional(ExportFormatSchema),
          },
          { additionalProperties: false },
        ),
        response: { 200: PageSchema(AuditEventSchema) },
      },
    },
    async (request, reply) => {
      const { limit: _limit, cursor: _cursor, format, ...query } = request.query;
      if (format)
        return sendDownload(reply, await exportAuditEvents(context, actorOf(request), query, format));
      const page = await listAuditEvents(context, actorOf(request), query, pageOf(request.query));
      return { items: [...page.items], nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/audit/verify',
    {
      config: { action: 'audit.verify' },
      schema: {
        tags: ['audit'],
        summary: 'Recompute the whole chain; names the first bad sequence number',
        response: { 200: VerdictSchema },
      },
    },
    async (request) => verifyAuditChain(context, actorOf(request)),
  );

  app.get(
    '/api/v1/audit/head',
    {
      config: { action: 'audit.head.read' },
      schema: {
        tags: ['audit'],
        summary: 'The head of the audit chain, its latest signed checkpoint and the signing keys (public)',
        response: {
          200: Type.Object({
            seq: Type.Integer(),
            hash: Type.String(),
            checkpoint: Type.Union([CheckpointSchema, Type.Null()]),
            publicKeys: Type.Array(Type.Object({ keyId: Type.String(), publicKeyPem: Type.String() })),
          }),
        },
      },
    },
    async () => auditHead(context),
  );
}
