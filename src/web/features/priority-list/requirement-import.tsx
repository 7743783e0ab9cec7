import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import {
  type ApiClient,
  ApiError,
  type ImportFormat,
  type ImportOutcomeJson,
  type UploadProgress,
} from '../../api/client.ts';
import { formatCount } from '../../format/count.ts';
import type { Messages } from '../../i18n/en.ts';
import { errorMessage } from '../../i18n/error-message.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { withQuery } from '../../routing/query.ts';
import { type ImportProblem, importBytesMax, importFormatOf, importProblemsOf } from './import-file.ts';

const templatePath = (format: ImportFormat) => withQuery('/api/v1/import/templates/requirements', { format });

/** Where the import stands: nothing checked, a call under way, or what the last call answered. */
type Phase =
  | { readonly kind: 'idle' }
  | { readonly kind: 'working'; readonly step: 'check' | 'import'; readonly progress: UploadProgress | null }
  | { readonly kind: 'clean'; readonly outcome: ImportOutcomeJson }
  | { readonly kind: 'imported'; readonly outcome: ImportOutcomeJson }
  | { readonly kind: 'problems'; readonly problems: readonly ImportProblem[]; readonly error: ApiError }
  | { readonly kind: 'failed'; readonly message: (t: Messages) => string };

/** The import's own refusals in the user's language; any other failure as the app says it anywhere. */
function importErrorMessage(t: Messages, error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'IMPORT_FILE_INVALID') return t.requirementImport.fileInvalid;
    if (error.code === 'BODY_TOO_LARGE') return t.requirementImport.tooLarge;
    if (error.code === 'UNSUPPORTED_MEDIA_TYPE') return t.requirementImport.wrongType;
  }
  return errorMessage(t, error);
}

/** A refusal with problems by row and column is listed; any other is one message. */
function problemPhase(error: unknown): Phase {
  if (error instanceof ApiError && error.errors.length > 0) {
    return { kind: 'problems', problems: importProblemsOf(error.errors), error };
  }
  return { kind: 'failed', message: (t) => importErrorMessage(t, error) };
}

/**
 * Many lines at once from a spreadsheet of the template: a dry run checks every row and lists each
 * problem by row and column; only a clean dry run offers the import, which writes all rows or none.
 */
export function RequirementImport({
  api,
  onImported,
}: {
  readonly api: ApiClient;
  readonly onImported: (outcome: ImportOutcomeJson) => void;
}) {
  const { t, locale } = useI18n();
  const text = t.requirementImport;
  const ids = {
    heading: useId(),
    file: useId(),
    hint: useId(),
    fileError: useId(),
    progress: useId(),
    result: useId(),
    caption: useId(),
  };
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<((t: Messages) => string) | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  // A new input after an import, so that the same file can be chosen again.
  const [inputKey, setInputKey] = useState(0);
  const resultRef = useRef<HTMLDivElement>(null);
  const working = phase.kind === 'working';

  useEffect(() => {
    if (phase.kind === 'clean' || phase.kind === 'problems' || phase.kind === 'failed') {
      resultRef.current?.focus();
    }
  }, [phase.kind]);

  function choose(chosen: File | null) {
    setFile(chosen);
    setFileError(null);
    setPhase({ kind: 'idle' });
  }

  /** The file and its format, or null after saying what is wrong with it. */
  function checkedFile(): { file: File; format: ImportFormat } | null {
    const format = file ? importFormatOf(file.name) : null;
    const refusal: ((t: Messages) => string) | null = !file
      ? (m) => m.requirementImport.chooseFile
      : !format
        ? (m) => m.requirementImport.wrongType
        : file.size > importBytesMax
          ? (m) => m.requirementImport.tooLarge
          : null;
    setFileError(() => refusal);
    if (refusal || !file || !format) {
      document.getElementById(ids.file)?.focus();
      return null;
    }
    return { file, format };
  }

  async function send(step: 'check' | 'import') {
    if (working) return;
    const chosen = checkedFile();
    if (!chosen) return;
    setPhase({ kind: 'working', step, progress: null });
    try {
      const outcome = await api.importRequirements(chosen.file, chosen.format, {
        dryRun: step === 'check',
        onProgress: (progress) => setPhase({ kind: 'working', step, progress }),
      });
      if (step === 'check') {
        setPhase({ kind: 'clean', outcome });
      } else {
        setPhase({ kind: 'imported', outcome });
        setFile(null);
        setInputKey((key) => key + 1);
        onImported(outcome);
      }
    } catch (error) {
      if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') return;
      setPhase(problemPhase(error));
    }
  }

  function check(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void send('check');
  }

  const percent = (progress: UploadProgress) =>
    new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(
      progress.total > 0 ? progress.loaded / progress.total : 0,
    );
  // While bytes go out the bar shows how many; once all are sent, the server's work has no measure.
  const sending =
    phase.kind === 'working' && phase.progress !== null && phase.progress.loaded < phase.progress.total;

  return (
    <section className="panel" aria-labelledby={ids.heading}>
      <h2 id={ids.heading}>{text.heading}</h2>
      <p className="muted">{text.intro}</p>
      <p>
        {text.templates} <a href={templatePath('xlsx')}>{text.templateXlsx}</a>
        {' · '}
        <a href={templatePath('csv')}>{text.templateCsv}</a>
      </p>
      <form className="import-form" noValidate onSubmit={check} aria-busy={working || undefined}>
        <div className="field field-wide">
          <label htmlFor={ids.file}>{text.file}</label>
          <input
            key={inputKey}
            id={ids.file}
            name="file"
            type="file"
            accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            aria-invalid={fileError ? true : undefined}
            aria-describedby={fileError ? `${ids.hint} ${ids.fileError}` : ids.hint}
            disabled={working}
            onChange={(event) => choose(event.target.files?.[0] ?? null)}
          />
          <p id={ids.hint} className="hint">
            {text.fileHint}
          </p>
          {fileError && (
            <p id={ids.fileError} className="field-error">
              {fileError(t)}
            </p>
          )}
        </div>
        <div className="button-row">
          <button type="submit" className="button" disabled={working}>
            {text.check}
          </button>
        </div>
      </form>

      <div role="status" className="live-region">
        {phase.kind === 'working' && <p>{phase.step === 'check' ? text.checking : text.importing}</p>}
        {phase.kind === 'imported' && (
          <p className="notice notice-success">
            {text.imported(phase.outcome.created, phase.outcome.firstRef ?? '', phase.outcome.lastRef ?? '')}
          </p>
        )}
      </div>
      {phase.kind === 'working' && (
        // The bar is outside the live region: each step of it would be read out otherwise.
        <div className="import-progress">
          <label htmlFor={ids.progress}>
            {sending && phase.progress ? text.sending(percent(phase.progress)) : text.progressLabel}
          </label>{' '}
          {sending && phase.progress ? (
            <progress id={ids.progress} max={phase.progress.total} value={phase.progress.loaded} />
          ) : (
            <progress id={ids.progress} />
          )}
        </div>
      )}

      {phase.kind === 'clean' && (
        <div className="notice notice-success" ref={resultRef} tabIndex={-1} id={ids.result}>
          <p>{text.clean(phase.outcome.rows)}</p>
          {phase.outcome.rows > 0 && (
            <div className="button-row">
              <button type="button" className="button button-primary" onClick={() => void send('import')}>
                {text.import(phase.outcome.rows)}
              </button>
            </div>
          )}
        </div>
      )}
      {phase.kind === 'failed' && (
        <div className="notice notice-error" role="alert" ref={resultRef} tabIndex={-1}>
          <p>{phase.message(t)}</p>
        </div>
      )}
      {phase.kind === 'problems' && (
        <div className="import-problems">
          <div className="notice notice-error" role="alert" ref={resultRef} tabIndex={-1}>
            <p>
              <strong>{text.problemsHeading}.</strong> {text.problemsIntro(phase.problems.length)}
            </p>
            {phase.error.code !== 'IMPORT_ROWS_INVALID' && <p>{importErrorMessage(t, phase.error)}</p>}
          </div>
          <p className="muted">{text.problemsNote}</p>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard. */}
          <section className="table-scroll" aria-labelledby={ids.caption} tabIndex={0}>
            <table className="data-table">
              <caption id={ids.caption}>{text.problemsCaption}</caption>
              <thead>
                <tr>
                  <th scope="col" className="numeric">
                    {text.problemColumns.row}
                  </th>
                  <th scope="col">{text.problemColumns.column}</th>
                  <th scope="col">{text.problemColumns.problem}</th>
                </tr>
              </thead>
              <tbody>
                {phase.problems.map((problem, index) => (
                  // Problems have no identity of their own; the server's order is their key.
                  // biome-ignore lint/suspicious/noArrayIndexKey: the list is replaced, never reordered.
                  <tr key={index}>
                    <th scope="row" className="numeric">
                      {problem.row === null ? text.wholeFile : formatCount(problem.row, locale)}
                    </th>
                    <td>
                      {problem.column === null ? (
                        <span className="muted">{problem.row === null ? '—' : text.wholeRow}</span>
                      ) : (
                        <code>{problem.column}</code>
                      )}
                    </td>
                    <td>{problem.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </div>
      )}
    </section>
  );
}
