export { type Cell, Cells, type SheetRow } from './cell.ts';
export {
  type ImportableRequirementStatus,
  ImportRows,
  importableRequirementStatuses,
  type PledgeLookups,
  type PledgeRow,
  type RefTaken,
  type RequirementLookups,
  type RequirementRow,
  type RowOutcome,
} from './import-rows.ts';
export {
  type HeaderMap,
  ImportHeader,
  type ImportKind,
  type ImportTemplate,
  importKinds,
  importTemplates,
  pledgeTemplate,
  requirementTemplate,
  type TemplateColumn,
} from './import-template.ts';
export { ImportProblems } from './problems.ts';
export { RowReader } from './row-reader.ts';
