import { useI18n } from '../../i18n/i18n-provider.tsx';

/**
 * A long identifier (a hash, an id) shown by its first characters. The full value is in the title
 * (a pointer), is shown beside it while the element has keyboard focus, and is what a screen reader
 * reads: nobody has to guess from an abbreviation.
 */
export function Abbreviated({ value, keep = 12 }: { readonly value: string; readonly keep?: number }) {
  const { t } = useI18n();
  if (value.length <= keep + 1) return <code className="abbreviated">{value}</code>;
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: keyboard users focus it to see the full value.
    <code className="abbreviated" tabIndex={0} title={value} data-full={value}>
      <span aria-hidden="true">{`${value.slice(0, keep)}…`}</span>
      <span className="visually-hidden">{t.audit.fullValue(value)}</span>
    </code>
  );
}
