import type { FieldError, ImportFormat } from '../../api/client.ts';

/** The server's limit of an import's body (Limits.importBodyLimitBytes): 32 MiB. */
export const importBytesMax = 32 * 1024 * 1024;

/** The format of a chosen file, by its name: browsers give a CSV file several content types, or none. */
export function importFormatOf(fileName: string): ImportFormat | null {
  const extension = /\.([^.]+)$/.exec(fileName.trim())?.[1]?.toLowerCase();
  return extension === 'csv' || extension === 'xlsx' ? extension : null;
}

/** One problem of an import: the row of the spreadsheet (1 is the header) and the column, when it names them. */
export interface ImportProblem {
  readonly row: number | null;
  readonly column: string | null;
  readonly message: string;
}

const rowColumnPattern = /^row (\d+)(?:, column (.+))?$/;

/**
 * The server's problems (`{ path: "row 12, column unitCost", message }`, or `row 1`, or `file`)
 * as rows and columns, in the server's order: a path of another shape concerns the whole file.
 */
export function importProblemsOf(errors: readonly FieldError[]): readonly ImportProblem[] {
  return errors.map((error) => {
    const match = rowColumnPattern.exec(error.path.trim());
    if (!match?.[1]) return { row: null, column: null, message: error.message };
    return { row: Number.parseInt(match[1], 10), column: match[2] ?? null, message: error.message };
  });
}
