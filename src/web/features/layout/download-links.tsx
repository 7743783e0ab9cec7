import { type MouseEvent, useState } from 'react';
import { errorMessage } from '../../i18n/error-message.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { useSession } from '../session/session-provider.tsx';
import { saveFile } from './save-file.ts';

const formats = [
  { format: 'csv', name: 'CSV' },
  { format: 'xlsx', name: 'Excel' },
  { format: 'json', name: 'JSON' },
] as const;

type State = { readonly kind: 'idle' } | { readonly kind: 'busy'; readonly name: string } | Failure;
interface Failure {
  readonly kind: 'failed';
  readonly name: string;
  readonly error: unknown;
}

/** A click that asks the browser for something else: a new tab or window, or its own download. */
function browserHandles(event: MouseEvent): boolean {
  return event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
}

/**
 * Links to a list's files (`?format=csv|xlsx|json` on its API route, docs/import.md, "Every other list"): the server
 * applies the reader's rights and `url`'s filters, so a file holds exactly what the page may list. A
 * click fetches the file with the session cookie and saves it under the server's name; a refusal
 * (an ended session, a right withdrawn) is shown here instead of being saved as the file.
 */
export function DownloadLinks({ url, what }: { readonly url: string; readonly what: string }) {
  const { t } = useI18n();
  const { api } = useSession();
  const [state, setState] = useState<State>({ kind: 'idle' });
  const separator = url.includes('?') ? '&' : '?';

  async function download(event: MouseEvent<HTMLAnchorElement>, name: string): Promise<void> {
    if (browserHandles(event)) return;
    event.preventDefault();
    if (state.kind === 'busy') return;
    setState({ kind: 'busy', name });
    try {
      const file = await api.download(event.currentTarget.getAttribute('href') ?? '');
      saveFile(file.content, file.fileName);
      setState({ kind: 'idle' });
    } catch (error) {
      setState({ kind: 'failed', name, error });
    }
  }

  return (
    <div className="downloads">
      <p className="button-row">
        <span className="muted">{t.downloads.labelOf(what)}</span>
        {formats.map(({ format, name }) => (
          <a
            key={format}
            className="button button-small"
            href={`${url}${separator}format=${format}`}
            download
            aria-label={t.downloads.linkLabel(what, name)}
            aria-busy={state.kind === 'busy' && state.name === name}
            onClick={(event) => void download(event, name)}
          >
            {name}
          </a>
        ))}
      </p>
      <p className="muted" role="status">
        {state.kind === 'busy' ? t.downloads.preparing(state.name) : ''}
      </p>
      {state.kind === 'failed' && (
        <p className="notice notice-error" role="alert">
          {t.downloads.failed(state.name, errorMessage(t, state.error))}
        </p>
      )}
    </div>
  );
}
