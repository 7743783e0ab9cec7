/**
 * The values a statement may bind at once: an `in (…)` list or a multi-row insert stays under
 * SQLite's and PostgreSQL's limits on bound parameters.
 */
export const statementBatchSize = 500;

/** `values` in consecutive slices of at most `size`, in order. */
export function inBatches<T>(values: readonly T[], size = statementBatchSize): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < values.length; start += size) batches.push(values.slice(start, start + size));
  return batches;
}
