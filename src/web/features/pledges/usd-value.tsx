import type { PledgeJson } from '../../../contract/index.ts';
import { formatDate } from '../../format/date.ts';
import { formatDecimal, formatMoney } from '../../format/money.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';

/**
 * The value of a pledge in US dollars with the rate that made it: "at 0.7288 GBP per USD on
 * 11 Feb 2026, ECB (USD cross)". A pledge in dollars needs no rate; an undisclosed one has no value.
 */
export function UsdValue({ pledge }: { readonly pledge: PledgeJson }) {
  const { t, locale } = useI18n();
  const { usd, amount } = pledge;
  if (!usd || !amount) return <span className="muted">{t.pledges.undisclosed}</span>;
  const value = formatMoney({ amount: usd.amount, currency: usd.currency }, locale);
  if (amount.currency === 'USD') return <span className="money">{value}</span>;
  const note = t.pledges.rateNote(
    formatDecimal(usd.rate, locale),
    amount.currency,
    formatDate(usd.rateDate, locale),
  );
  return (
    <>
      <span className="money">{value}</span>
      <span className="rate-note" title={`${note}, ${usd.rateSource}`}>
        {note}, <span className="rate-source">{usd.rateSource}</span>
      </span>
    </>
  );
}
