export { AuditChain, type AuditEvent, type AuditRecord, genesisHash, type Sha256Hex } from './audit-event.ts';
export { canonicalJson } from './canonical-json.ts';
export {
  type ByteHashing,
  type ChainVerdict,
  ChainVerifier,
  hashDigits,
  type PackedEvents,
} from './chain-verifier.ts';
export { type Checkpoint, Checkpoints } from './checkpoint.ts';
export { type Receipt, type ReceiptCrypto, Receipts, type ReceiptVerdict, receiptFormat } from './receipt.ts';
