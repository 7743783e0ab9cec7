import { type FormEvent, useId, useState } from 'react';
import type { DeliveryJson, PackageJson } from '../../../contract/index.ts';
import { ApiError } from '../../api/client.ts';
import { formatCount } from '../../format/count.ts';
import { formatDate, todayUtc } from '../../format/date.ts';
import type { Messages } from '../../i18n/en.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { isIsoDate } from '../pledges/pledge-input.ts';
import { useSession } from '../session/session-provider.tsx';

type Line = PackageJson['lines'][number];

/**
 * The shipments of a package: what the supplier shipped and when, and what the recipient confirmed
 * it received. The supplier records a shipment here; the recipient confirms one.
 */
export function DeliveriesSection({
  pkg,
  mayRecord,
  confirmsReceipt,
  onRecorded,
  onError,
}: {
  readonly pkg: PackageJson;
  readonly mayRecord: boolean;
  readonly confirmsReceipt: boolean;
  readonly onRecorded: (message: (t: Messages) => string) => void;
  readonly onError: (error: unknown) => void;
}) {
  const { t, locale } = useI18n();
  const ids = { heading: useId(), caption: useId() };
  const lineOf = new Map(pkg.lines.map((line) => [line.id, line]));
  const shipped = pkg.status === 'contracted' || pkg.status === 'delivering' || pkg.status === 'completed';
  if (!shipped && pkg.deliveries.length === 0) return null;
  const columns = t.packageDetail.deliveryColumns;
  return (
    <section className="panel panel-flush" aria-labelledby={ids.heading}>
      <h2 id={ids.heading}>{t.packageDetail.deliveriesHeading}</h2>
      {pkg.deliveries.length === 0 ? (
        <p className="muted">{t.packageDetail.noDeliveries}</p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
        <section className="table-scroll" aria-labelledby={ids.caption} tabIndex={0}>
          <table className="data-table deliveries-table">
            <caption id={ids.caption}>{t.packageDetail.deliveriesCaption(pkg.ref)}</caption>
            <thead>
              <tr>
                <th scope="col">{columns.line}</th>
                <th scope="col" className="numeric">
                  {columns.quantity}
                </th>
                <th scope="col">{columns.shippedOn}</th>
                <th scope="col">{columns.receivedOn}</th>
              </tr>
            </thead>
            <tbody>
              {pkg.deliveries.map((delivery) => {
                const ref = lineOf.get(delivery.lineId)?.requirementRef ?? delivery.lineId;
                return (
                  <tr key={delivery.id}>
                    <th scope="row" className="ref">
                      {ref}
                    </th>
                    <td className="numeric">{formatCount(delivery.quantity, locale)}</td>
                    <td>
                      <time dateTime={delivery.shippedOn}>{formatDate(delivery.shippedOn, locale)}</time>
                    </td>
                    <td>
                      {delivery.receivedOn ? (
                        <time dateTime={delivery.receivedOn}>{formatDate(delivery.receivedOn, locale)}</time>
                      ) : confirmsReceipt ? (
                        <ReceiptForm
                          pkg={pkg}
                          delivery={delivery}
                          lineRef={ref}
                          onConfirmed={onRecorded}
                          onError={onError}
                        />
                      ) : (
                        <span className="muted">{t.packageDetail.notReceived}</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      )}
      {mayRecord && <DeliveryForm pkg={pkg} onRecorded={onRecorded} onError={onError} />}
    </section>
  );
}

function remainingOf(line: Line): number {
  return line.quantity - line.deliveredQuantity;
}

type DeliveryField = 'line' | 'quantity' | 'shippedOn';

/** The supplier records a shipment of one line: never more than is left to ship on it. */
function DeliveryForm({
  pkg,
  onRecorded,
  onError,
}: {
  readonly pkg: PackageJson;
  readonly onRecorded: (message: (t: Messages) => string) => void;
  readonly onError: (error: unknown) => void;
}) {
  const { t, locale } = useI18n();
  const { api } = useSession();
  const prefix = useId();
  const idOf = (field: DeliveryField) => `${prefix}-${field}`;
  const open = pkg.lines.filter((line) => remainingOf(line) > 0);
  const [lineId, setLineId] = useState('');
  const [quantity, setQuantity] = useState('');
  const [shippedOn, setShippedOn] = useState(todayUtc);
  const [errors, setErrors] = useState<Partial<Record<DeliveryField, (t: Messages) => string>>>({});
  const [submitting, setSubmitting] = useState(false);

  if (open.length === 0) return <p className="muted">{t.packageDetail.allShipped}</p>;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    const line = open.find((each) => each.id === lineId);
    const found: Partial<Record<DeliveryField, (t: Messages) => string>> = {};
    const units = /^\d{1,10}$/.test(quantity.trim()) ? Number.parseInt(quantity.trim(), 10) : Number.NaN;
    if (!line) found.line = (m) => m.packageDetail.lineRequired;
    else if (!(units >= 1 && units <= remainingOf(line))) {
      const remaining = formatCount(remainingOf(line), locale);
      found.quantity = (m) => m.packageDetail.quantityInvalid(remaining);
    }
    if (!isIsoDate(shippedOn)) found.shippedOn = (m) => m.packageDetail.dateInvalid;
    setErrors(found);
    const first = (['line', 'quantity', 'shippedOn'] as const).find((field) => found[field]);
    if (first || !line) {
      if (first) document.getElementById(idOf(first))?.focus();
      return;
    }
    setSubmitting(true);
    try {
      await api.recordDelivery(pkg.id, { lineId: line.id, quantity: units, shippedOn });
      const ref = line.requirementRef;
      const shippedUnits = formatCount(units, locale);
      setLineId('');
      setQuantity('');
      onRecorded((m) => m.packageDetail.recorded(ref, shippedUnits));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'DELIVERY_EXCEEDS_LINE') {
        setErrors({ quantity: (m) => m.errors.byCode.DELIVERY_EXCEEDS_LINE ?? error.detail });
        document.getElementById(idOf('quantity'))?.focus();
      } else {
        onError(error);
      }
    } finally {
      setSubmitting(false);
    }
  }

  const fieldProps = (field: DeliveryField, hint = false) => ({
    id: idOf(field),
    'aria-invalid': errors[field] ? true : undefined,
    'aria-describedby':
      [hint ? `${idOf(field)}-hint` : '', errors[field] ? `${idOf(field)}-error` : '']
        .filter(Boolean)
        .join(' ') || undefined,
  });
  const fieldError = (field: DeliveryField) => {
    const message = errors[field];
    return message ? (
      <p id={`${idOf(field)}-error`} className="field-error">
        {message(t)}
      </p>
    ) : null;
  };

  return (
    <form className="delivery-form" aria-labelledby={`${prefix}-heading`} noValidate onSubmit={submit}>
      <h3 id={`${prefix}-heading`}>{t.packageDetail.recordHeading}</h3>
      <div className="transition-fields">
        <div className="field">
          <label htmlFor={idOf('line')}>{t.packageDetail.recordLine}</label>
          <select {...fieldProps('line')} value={lineId} onChange={(event) => setLineId(event.target.value)}>
            <option value="">{t.packageDetail.chooseLine}</option>
            {open.map((line) => (
              <option key={line.id} value={line.id}>
                {t.packageDetail.lineOption(line.requirementRef, formatCount(remainingOf(line), locale))}
              </option>
            ))}
          </select>
          {fieldError('line')}
        </div>
        <div className="field">
          <label htmlFor={idOf('quantity')}>{t.packageDetail.recordQuantity}</label>
          <input
            {...fieldProps('quantity')}
            type="text"
            inputMode="numeric"
            autoComplete="off"
            value={quantity}
            onChange={(event) => setQuantity(event.target.value)}
          />
          {fieldError('quantity')}
        </div>
        <div className="field">
          <label htmlFor={idOf('shippedOn')}>{t.packageDetail.recordShippedOn}</label>
          <input
            {...fieldProps('shippedOn', true)}
            type="date"
            value={shippedOn}
            onChange={(event) => setShippedOn(event.target.value)}
          />
          <p id={`${idOf('shippedOn')}-hint`} className="hint">
            {t.packageDetail.dateHint}
          </p>
          {fieldError('shippedOn')}
        </div>
        <div className="button-row transition-buttons">
          <button type="submit" className="button button-primary" aria-disabled={submitting || undefined}>
            {submitting ? t.packageDetail.working : t.packageDetail.recordSubmit}
          </button>
        </div>
      </div>
    </form>
  );
}

/** The recipient confirms one shipment, on a date no earlier than it was shipped. */
function ReceiptForm({
  pkg,
  delivery,
  lineRef,
  onConfirmed,
  onError,
}: {
  readonly pkg: PackageJson;
  readonly delivery: DeliveryJson;
  readonly lineRef: string;
  readonly onConfirmed: (message: (t: Messages) => string) => void;
  readonly onError: (error: unknown) => void;
}) {
  const { t, locale } = useI18n();
  const { api } = useSession();
  const id = useId();
  const today = todayUtc();
  // biome-ignore lint/complexity/useMathMinMax: ISO dates are strings; Math.max would make them NaN.
  const [receivedOn, setReceivedOn] = useState(today < delivery.shippedOn ? delivery.shippedOn : today);
  const [invalid, setInvalid] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const units = formatCount(delivery.quantity, locale);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    if (!isIsoDate(receivedOn) || receivedOn < delivery.shippedOn) {
      setInvalid(true);
      document.getElementById(id)?.focus();
      return;
    }
    setInvalid(false);
    setSubmitting(true);
    try {
      await api.confirmReceipt(pkg.id, delivery.id, receivedOn);
      onConfirmed((m) => m.packageDetail.receiptConfirmed(lineRef, units));
    } catch (error) {
      onError(error);
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <form className="receipt-form" noValidate onSubmit={submit}>
      <label htmlFor={id} className="visually-hidden">
        {t.packageDetail.receivedOnLabel(lineRef, units)}
      </label>
      <input
        id={id}
        type="date"
        min={delivery.shippedOn}
        value={receivedOn}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? `${id}-error` : undefined}
        onChange={(event) => setReceivedOn(event.target.value)}
      />
      <button
        type="submit"
        className="button button-small button-primary"
        aria-label={t.packageDetail.confirmReceiptLabel(lineRef, units)}
        aria-disabled={submitting || undefined}
      >
        {t.packageDetail.confirmReceipt}
      </button>
      {invalid && (
        <p id={`${id}-error`} className="field-error">
          {t.packageDetail.receivedBeforeShipped(formatDate(delivery.shippedOn, locale))}
        </p>
      )}
    </form>
  );
}
