import { coveragePercent, formatPercent } from '../../format/coverage.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';

/**
 * How much of a price is funded: a progress bar whose value is the exact percentage (two decimals,
 * from the server's rounded-down fraction) and a text label that says the same in words, so that
 * neither eyes nor screen readers get a silently rounded figure.
 */
export function CoverageBar({
  coverage,
  label,
  compact = false,
}: {
  /** The exact fraction funded ÷ price ("0.4123"), or null while unpriced. */
  readonly coverage: string | null;
  /** The accessible name of the bar ("Coverage of PKG-9"). */
  readonly label: string;
  readonly compact?: boolean;
}) {
  const { t, locale } = useI18n();
  const percent = coverage === null ? null : coveragePercent(coverage);
  if (percent === null) {
    return <p className="coverage-none muted">{t.coverage.notPriced}</p>;
  }
  const text = t.coverage.funded(formatPercent(percent, locale));
  // The bar's width only: a value above 100 % (never expected) is drawn full, and said as it is.
  const whole = BigInt(percent.split('.')[0] ?? '0');
  const width = whole >= 100n ? '100%' : `${percent}%`;
  return (
    <div className={compact ? 'coverage coverage-compact' : 'coverage'}>
      <div
        className="coverage-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        // A share, not money: "41.23" as a number prints back as "41.23"; aria-valuetext carries the words.
        aria-valuenow={Number(percent)}
        aria-valuetext={text}
      >
        <div className="coverage-fill" style={{ width }} />
      </div>
      <p className="coverage-label">{text}</p>
    </div>
  );
}
