import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { AuditChain, type AuditEvent } from '../../src/core/audit/audit-event.ts';
import { canonicalJson } from '../../src/core/audit/canonical-json.ts';

const text = fc.string({ unit: 'binary', maxLength: 40 });
const event = fc.record({
  seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  occurredAt: text,
  actorUserId: fc.option(text, { nil: null }),
  actorOrganization: fc.option(text, { nil: null }),
  action: text,
  objectType: text,
  objectId: text,
  beforeDigest: fc.option(text, { nil: null }),
  afterDigest: fc.option(text, { nil: null }),
  prevHash: text,
});

describe('the bytes an audit event hashes', () => {
  test('are the canonical JSON of its ten fields, whatever the strings hold', () => {
    fc.assert(
      fc.property(event, (fields) => {
        expect(AuditChain.payload(fields)).toBe(canonicalJson(fields));
      }),
      { seed: 42, numRuns: 2000 },
    );
  });

  test('leave the hash out, so a stored event hashes to the hash it was linked with', () => {
    const sha256 = (value: string) => `h(${value.length})`;
    const fields: Omit<AuditEvent, 'hash'> = {
      seq: 7,
      occurredAt: '2026-02-12T10:00:00.000Z',
      actorUserId: null,
      actorOrganization: 'NATO',
      action: 'pledge.record',
      objectType: 'pledge',
      objectId: 'p-1',
      beforeDigest: null,
      afterDigest: 'a'.repeat(64),
      prevHash: '0'.repeat(64),
    };
    const linked = AuditChain.link(fields, sha256);
    expect(AuditChain.payload(linked)).toBe(AuditChain.payload(fields));
    expect(AuditChain.payload(fields)).toBe(
      `{"action":"pledge.record","actorOrganization":"NATO","actorUserId":null,"afterDigest":"${'a'.repeat(64)}","beforeDigest":null,"objectId":"p-1","objectType":"pledge","occurredAt":"2026-02-12T10:00:00.000Z","prevHash":"${'0'.repeat(64)}","seq":7}`,
    );
  });

  test('fall back to canonicalJson when a field is not of its usual type', () => {
    const odd = { seq: 3n, occurredAt: 'x', actorUserId: undefined, action: 'a' } as unknown as Omit<
      AuditEvent,
      'hash'
    >;
    expect(AuditChain.payload(odd)).toBe('{"action":"a","occurredAt":"x","seq":"3"}');
  });
});
