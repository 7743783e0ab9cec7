import { describe, expect, it } from 'vitest';
import {
  importBytesMax,
  importFormatOf,
  importProblemsOf,
} from '../../src/web/features/priority-list/import-file.ts';

describe('importFormatOf', () => {
  it('knows a CSV and an XLSX file by its name, whatever the case', () => {
    expect(importFormatOf('requirements.csv')).toBe('csv');
    expect(importFormatOf('Requirements 2026.XLSX')).toBe('xlsx');
    expect(importFormatOf('a.b.csv ')).toBe('csv');
  });

  it('refuses any other file, an old Excel file included', () => {
    expect(importFormatOf('requirements.xls')).toBeNull();
    expect(importFormatOf('requirements.csv.txt')).toBeNull();
    expect(importFormatOf('csv')).toBeNull();
    expect(importFormatOf('')).toBeNull();
  });

  it('mirrors the server’s 32 MiB body limit', () => {
    expect(importBytesMax).toBe(33_554_432);
  });
});

describe('importProblemsOf', () => {
  it('reads the row and the column of each problem, in the server’s order', () => {
    expect(
      importProblemsOf([
        { path: 'row 3, column unitCost', message: 'USD amounts have exactly 2 decimals' },
        { path: 'row 12, column currency', message: 'unknown currency' },
        { path: 'row 1, column 4', message: "unknown column 'colour'" },
      ]),
    ).toEqual([
      { row: 3, column: 'unitCost', message: 'USD amounts have exactly 2 decimals' },
      { row: 12, column: 'currency', message: 'unknown currency' },
      { row: 1, column: '4', message: "unknown column 'colour'" },
    ]);
  });

  it('keeps a problem of a whole row, or of the whole file, without inventing a place', () => {
    expect(
      importProblemsOf([
        { path: 'row 1', message: 'the required column unit is missing' },
        { path: 'file', message: '12 more problems not listed' },
        { path: '/title', message: 'must not be empty' },
      ]),
    ).toEqual([
      { row: 1, column: null, message: 'the required column unit is missing' },
      { row: null, column: null, message: '12 more problems not listed' },
      { row: null, column: null, message: 'must not be empty' },
    ]);
  });
});
