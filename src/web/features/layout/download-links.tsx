import { useI18n } from '../../i18n/i18n-provider.tsx';

const formats = [
  { format: 'csv', name: 'CSV' },
  { format: 'xlsx', name: 'Excel' },
  { format: 'json', name: 'JSON' },
] as const;

/**
 * Links to a list's files (`?format=csv|xlsx|json` on its API route, docs/import.md, "Every other list"): the browser
 * downloads them with the session cookie, and the server applies the reader's rights and `url`'s
 * filters, so a file holds exactly what the page may list.
 */
export function DownloadLinks({ url, what }: { readonly url: string; readonly what: string }) {
  const { t } = useI18n();
  const separator = url.includes('?') ? '&' : '?';
  return (
    <p className="button-row downloads">
      <span className="muted">{t.downloads.labelOf(what)}</span>
      {formats.map(({ format, name }) => (
        <a
          key={format}
          className="button button-small"
          href={`${url}${separator}format=${format}`}
          download
          aria-label={t.downloads.linkLabel(what, name)}
        >
          {name}
        </a>
      ))}
    </p>
  );
}
