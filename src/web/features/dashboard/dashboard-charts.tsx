import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { type EChartsCoreOption, init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useMemo, useRef } from 'react';
import type { MoneyJson, PublicSummaryJson } from '../../../contract/index.ts';
import { formatMoney } from '../../format/money.ts';
import { amountOfCents, centsOf } from '../../format/usd-cents.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { formatMonth } from './format-month.ts';

// Only the parts drawn here: bars, their grid, legend and tooltip, and the SVG renderer.
use([BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

type Segment = 'paid' | 'committed' | 'announced';
const segments: readonly Segment[] = ['paid', 'committed', 'announced'];
const colours: Readonly<Record<Segment, string>> = {
  paid: '#0b2545',
  committed: '#1d4ed8',
  announced: '#8fb0e6',
};

interface StageRow {
  readonly announced: MoneyJson;
  readonly committed: MoneyJson;
  readonly paid: MoneyJson;
}

/**
 * The three stages of a row as the parts of one stacked bar, in cents: paid, committed but not yet
 * paid, announced but not yet committed. They add up to the announced money, exactly.
 */
function partsOf(row: StageRow): Record<Segment, bigint> {
  const announced = centsOf(row.announced.amount) ?? 0n;
  const committed = centsOf(row.committed.amount) ?? 0n;
  const paid = centsOf(row.paid.amount) ?? 0n;
  return { paid, committed: committed - paid, announced: announced - committed };
}

/**
 * The length of a bar, in millions of dollars: a drawing, not a figure. The exact amounts are in the
 * tooltip and in the table beside every chart; the bar keeps two decimals of a million.
 */
function barLength(cents: bigint): number {
  const tenThousands = cents / 1_000_000n;
  return Number(tenThousands) / 100;
}

function usd(cents: bigint): MoneyJson {
  return { amount: amountOfCents(cents), currency: 'USD' };
}

function Chart({
  option,
  label,
  height,
}: {
  readonly option: EChartsCoreOption;
  readonly label: string;
  readonly height: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const chart = init(element, null, { renderer: 'svg' });
    chart.setOption(option);
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [option]);
  // The drawing is one image to assistive technology; the table beside it is the text.
  return <div ref={ref} className="chart" style={{ height }} role="img" aria-label={label} />;
}

/** Stacked bars of the stages of several rows: one bar per row, largest first when `horizontal`. */
function useStackedOption(
  labels: readonly string[],
  rows: readonly StageRow[],
  horizontal: boolean,
): EChartsCoreOption {
  const { t, locale } = useI18n();
  return useMemo(() => {
    const parts = rows.map(partsOf);
    const names = t.dashboard.charts.stagesSegments;
    const categoryAxis = {
      type: 'category',
      data: [...labels],
      inverse: horizontal,
      axisLabel: { color: '#1a1f2b', width: 120, overflow: 'truncate' },
    };
    const valueAxis = {
      type: 'value',
      name: t.dashboard.charts.axis,
      nameLocation: 'middle',
      nameGap: 28,
      nameTextStyle: { color: '#4b5563' },
      axisLabel: { color: '#4b5563' },
    };
    return {
      animation: false,
      aria: { enabled: false },
      textStyle: { fontFamily: 'system-ui, sans-serif' },
      grid: { left: 8, right: 24, top: 40, bottom: 40, containLabel: true },
      legend: { top: 0, textStyle: { color: '#1a1f2b' } },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        // The exact amounts, as the tables write them; the bars are only drawn to scale.
        formatter: (params: unknown) => {
          const items = Array.isArray(params) ? (params as { dataIndex: number }[]) : [];
          const index = items[0]?.dataIndex ?? 0;
          const row = rows[index];
          const part = parts[index];
          if (!row || !part) return '';
          const lines = segments.map(
            (segment) => `${names[segment]}: ${formatMoney(usd(part[segment]), locale)}`,
          );
          return [labels[index] ?? '', ...lines].map(escapeHtml).join('<br>');
        },
      },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: segments.map((segment) => ({
        name: names[segment],
        type: 'bar',
        stack: 'stages',
        barMaxWidth: 36,
        itemStyle: { color: colours[segment] },
        data: parts.map((part) => barLength(part[segment])),
      })),
    };
  }, [labels, rows, horizontal, t, locale]);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Where the announced money stands: paid, committed and only announced, as one stacked bar. */
export function StagesChart({ summary }: { readonly summary: PublicSummaryJson }) {
  const { t, locale } = useI18n();
  const total = useMemo(() => {
    const amount = (stage: string) =>
      summary.totals.find((line) => line.stage === stage)?.amount ?? { amount: '0.00', currency: 'USD' };
    return { announced: amount('announced'), committed: amount('committed'), paid: amount('paid') };
  }, [summary]);
  const labels = useMemo(() => [t.dashboard.stageNames.announced], [t]);
  const rows = useMemo(() => [total], [total]);
  const option = useStackedOption(labels, rows, true);
  const label = `${t.dashboard.charts.stagesTitle}. ${t.dashboard.charts.stagesSummary(
    formatMoney(total.paid, locale),
    formatMoney(total.committed, locale),
    formatMoney(total.announced, locale),
  )}`;
  return <Chart option={option} label={label} height={150} />;
}

/** The donors with disclosed money, largest first, each bar split by stage. */
export function DonorsChart({ summary }: { readonly summary: PublicSummaryJson }) {
  const { t } = useI18n();
  const donors = useMemo(() => summary.byDonor.filter((donor) => donor.pledges > 0), [summary]);
  const labels = useMemo(() => donors.map((donor) => donor.name), [donors]);
  const option = useStackedOption(labels, donors, true);
  const label = `${t.dashboard.charts.donorsTitle}. ${t.dashboard.charts.donorsSummary(
    donors.length,
    donors[0]?.name ?? '',
  )}`;
  return <Chart option={option} label={label} height={Math.max(200, 28 * donors.length + 90)} />;
}

/** The money announced each month, each bar split by the stage it has reached since. */
export function MonthsChart({ summary }: { readonly summary: PublicSummaryJson }) {
  const { t, locale } = useI18n();
  const labels = useMemo(
    () => summary.byMonth.map((month) => formatMonth(month.month, locale, 'short')),
    [summary, locale],
  );
  const option = useStackedOption(labels, summary.byMonth, false);
  const label = `${t.dashboard.charts.monthsTitle}. ${t.dashboard.charts.monthsSummary(summary.byMonth.length)}`;
  return <Chart option={option} label={label} height={320} />;
}
