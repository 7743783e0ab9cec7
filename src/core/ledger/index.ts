export {
  Account,
  type AccountName,
  type PledgeStageAccount,
  pledgeStageAccounts,
  topLevelAccounts,
} from './account.ts';
export { HledgerJournal, type HledgerJournalOptions, type IdentifiedEntry } from './hledger-journal.ts';
export {
  type ConversionEntryInput,
  type ConversionRecord,
  JournalEntry,
  type JournalEntryInput,
  type Posting,
} from './journal-entry.ts';
export { type AccountBalance, type DatedPosting, Ledger, type StoredEntry } from './ledger.ts';
