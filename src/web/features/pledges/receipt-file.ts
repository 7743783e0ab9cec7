import type { ReceiptJson } from '../../../contract/receipt.schema.ts';

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
  const url = URL.createObjectURL(new Blob([receiptDocument(receipt)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = receiptFileName(pledgeRef, receipt);
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken its copy once the click is handled.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
