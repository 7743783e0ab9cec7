import { useI18n } from '../../i18n/i18n-provider.tsx';

/** The address of a public web page, or null for anything else (a javascript: or data: address). */
export function webAddressOf(text: string): URL | null {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}

/**
 * The source of a pledge as a link to the page, named by its host, opening in a new tab without
 * giving that page a handle on this one. The text is React's (escaped), never parsed HTML; an
 * address that is not http(s) is shown as text and never linked.
 */
export function SourceLink({ source, full = false }: { readonly source: string; readonly full?: boolean }) {
  const { t } = useI18n();
  if (!source) return <span className="muted">{t.pledges.none}</span>;
  const url = webAddressOf(source);
  if (!url) return <span className="source-text">{source}</span>;
  return (
    <a className="source-link" href={url.href} target="_blank" rel="noopener noreferrer" title={url.href}>
      {full ? url.href : url.hostname.replace(/^www\./, '')}
      <span className="visually-hidden"> {t.pledges.opensInNewTab}</span>
    </a>
  );
}
