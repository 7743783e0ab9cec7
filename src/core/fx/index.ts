export { type EcbRatesFile, EcbReferenceRates } from './ecb-reference-rates.ts';
export { type FileProblem, FileProblems } from './file-problem.ts';
export { type EcbImport, type FxRateRecord, FxTable, type RateLookupOptions } from './fx-table.ts';
