import Type, { type Static } from 'typebox';
import { receiptFormat } from '../core/audit/receipt.ts';

const nullableText = () => Type.Union([Type.String(), Type.Null()]);

const ReceiptEventSchema = Type.Object({
  seq: Type.Integer(),
  occurredAt: Type.String({ format: 'date-time' }),
  actorUserId: nullableText(),
  actorOrganization: nullableText(),
  action: Type.String(),
  objectType: Type.String(),
  objectId: Type.String(),
  beforeDigest: nullableText(),
  afterDigest: nullableText(),
  prevHash: Type.String(),
  hash: Type.String(),
});

/**
 * A self-contained proof of one write, to save and check offline with
 * `purl audit verify --receipt FILE --public-key KEY.pem` (docs/security.md#receipts).
 */
export const ReceiptSchema = Type.Object(
  {
    format: Type.Literal(receiptFormat),
    document: Type.Object(
      { id: Type.String() },
      {
        additionalProperties: true,
        description:
          'The exact content the event’s afterDigest covers (canonical JSON; amounts in minor units as strings)',
      },
    ),
    event: ReceiptEventSchema,
    links: Type.Array(ReceiptEventSchema, {
      description: 'The events after this one up to the covering checkpoint (empty: each event has its own)',
    }),
    checkpoint: Type.Object({
      seq: Type.Integer(),
      hash: Type.String(),
      signedAt: Type.String({ format: 'date-time' }),
      keyId: Type.String(),
      signature: Type.String({ description: 'Ed25519 over the canonical JSON statement, base64' }),
    }),
    publicKey: Type.Object({ keyId: Type.String(), publicKeyPem: Type.String() }),
  },
  { description: 'The receipt of one write' },
);
export type ReceiptJson = Static<typeof ReceiptSchema>;
