import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { publicKeyIdOf, signatureValid } from '../../src/app/audit-signer.ts';
import { sha256Hex } from '../../src/app/context.ts';
import type { ReceiptJson } from '../../src/contract/receipt.schema.ts';
import { Receipts } from '../../src/core/audit/receipt.ts';
import { receiptDocument, receiptFileName } from '../../src/web/features/pledges/receipt-file.ts';
import { startApi, type TestApi, usd } from '../support/api.ts';

/**
 * The file the pledge page downloads is the receipt the server listed, and it passes the very check
 * `purl audit verify --receipt` runs on a file (the CLI spawned on a downloaded file is in the e2e
 * pledge journey). The web page does not depend on the dialect, so one is enough here.
 */
const crypto = { sha256: sha256Hex, keyIdOf: publicKeyIdOf, signatureValid };

describe('the receipt file of the pledge page', () => {
  let api: TestApi;
  let receipts: ReceiptJson[];

  beforeAll(async () => {
    api = await startApi('sqlite');
    const donor = await api.as('donor');
    const recorded = await donor.request('POST', '/api/v1/pledges', {
      body: { donor: 'GBR', amount: usd('150000000.00'), announcedOn: '2026-02-12', visibility: 'public' },
      headers: { 'idempotency-key': 'receipt-file-test-1' },
    });
    expect(recorded.statusCode).toBe(201);
    const listed = await donor.request('GET', `/api/v1/pledges/${recorded.json().id}/receipts`);
    expect(listed.statusCode).toBe(200);
    receipts = listed.json().items;
  });
  afterAll(async () => api?.close());

  test('holds the listed receipt field for field, and verifies as the command line checks it', () => {
    const [receipt] = receipts;
    if (!receipt) throw new Error('the pledge has no receipt');
    const text = receiptDocument(receipt);
    expect(JSON.parse(text)).toEqual(receipt);
    const verdict = Receipts.verify(JSON.parse(text), crypto, receipt.publicKey.publicKeyPem);
    expect(verdict.problems).toEqual([]);
    expect(verdict).toMatchObject({ ok: true, seq: receipt.event.seq });
  });

  test('a file whose amount was changed after download no longer verifies', () => {
    const [receipt] = receipts;
    if (!receipt) throw new Error('the pledge has no receipt');
    const forged = JSON.parse(receiptDocument(receipt));
    forged.document.amount.minor = '15000000001';
    expect(Receipts.verify(forged, crypto, receipt.publicKey.publicKeyPem).ok).toBe(false);
  });

  test('is named after the pledge and the audit event, with nothing unsafe in the name', () => {
    const [receipt] = receipts;
    if (!receipt) throw new Error('the pledge has no receipt');
    expect(receiptFileName('P-17', receipt)).toBe(`P-17-receipt-${receipt.event.seq}.json`);
    expect(receiptFileName('../P 1', receipt)).toBe(`___P_1-receipt-${receipt.event.seq}.json`);
  });
});
