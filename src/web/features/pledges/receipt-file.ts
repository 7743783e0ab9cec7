import type { ReceiptJson } from '../../../contract/receipt.schema.ts';
import { saveFile } from '../layout/save-file.ts';

/**
 * The receipt as the file to keep: the very receipt the server sent, field for field, as JSON. The
 * check hashes the canonical form of its parts, so the indentation does not matter to it.
 */
export function receiptDocument(receipt: ReceiptJson): string {
  return `${JSON.stringify(receipt, null, 2)}\n`;
}

/** "P-17-receipt-42.json": the pledge and the audit event the receipt proves. */
export function receiptFileName(pledgeRef: string, receipt: ReceiptJson): string {
  const ref = pledgeRef.replace(/[^A-Za-z0-9-]/g, '_') || 'pledge';
  return `${ref}-receipt-${receipt.event.seq}.json`;
}

/** Hands the receipt to the browser as a download. */
export function downloadReceipt(pledgeRef: string, receipt: ReceiptJson): void {
  saveFile(
    new Blob([receiptDocument(receipt)], { type: 'application/json' }),
    receiptFileName(pledgeRef, receipt),
  );
}
