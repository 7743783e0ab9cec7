/**
 * The public dashboard's first load: the real server on the demo data (as the e2e journeys run it)
 * serving the built web app, and Chromium (/usr/bin/chromium, through playwright-core) opening `/`
 * with an empty cache, each load in a fresh browser context. Measured in the page, with Chromium's
 * own clock (performance.timeOrigin = the start of the navigation):
 *
 *   - first figures: the `purl:first-figures` performance mark the dashboard sets once its first
 *     figures (the totals by stage) are in the DOM; the server sends the public summary inside
 *     index.html (src/server/web-index.ts, the same figures GET /api/v1/public/summary answers), and
 *     the dashboard draws the totals first, the long tables and the charts in the renders after;
 *   - charts drawn: the moment the three ECharts SVGs are all in the DOM (polled each frame);
 *   - DOMContentLoaded and load of the navigation timing.
 *
 * Baseline in the same run, on the same server: a static hello page (one small HTML file, no
 * script) served from the same web root. Also the gzipped size of the JavaScript of the first load
 * (the entry script and its modulepreloads in dist/web/index.html) and of every other chunk, with a
 * budget of 250 kB gzipped for the first load.
 *
 *   flock /tmp/web.lock sh -c 'npx vite build --logLevel warn && node --import tsx bench/dashboard-render.ts --write'
 *   options: --runs N (median of N cold loads each, default 5), --write (rewrite the section
 *   "Public dashboard" of docs/performance.md and its summary line)
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { demoData } from '../demo/demo-data.ts';
import { createContext, sha256Hex } from '../src/app/context.ts';
import { loadDemo } from '../src/app/load-demo.ts';
import { serve } from '../src/server/main.ts';
import { connect } from '../src/store/dialect/connect.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { Store } from '../src/store/unit-of-work.ts';
import { replaceSection } from './performance-doc.ts';
import {
  argumentsOf,
  describeMachine,
  integerArgument,
  loadAverage,
  log,
  markdownTable,
  median,
  repositoryRoot,
  textTable,
  updateSummary,
} from './support/bench-kit.ts';

const sectionTitle = 'Public dashboard';
const budgetBytes = 250_000;
const firstFiguresMark = 'purl:first-figures';

const options = argumentsOf();
const runs = integerArgument(options, 'runs', 5);
const write = options.has('write');

const builtRoot = join(repositoryRoot, 'dist', 'web');
if (!existsSync(join(builtRoot, 'index.html'))) {
  throw new Error('dist/web is not built: run `npx vite build` first (under flock /tmp/web.lock)');
}

// --- Sizes of the built chunks ---------------------------------------------------------------

interface Chunk {
  readonly file: string;
  readonly raw: number;
  readonly gzip: number;
  readonly firstLoad: boolean;
}

const indexHtml = readFileSync(join(builtRoot, 'index.html'), 'utf8');
const firstLoadFiles = new Set(
  [...indexHtml.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((match) => match[1] ?? ''),
);
const chunks: Chunk[] = readdirSync(join(builtRoot, 'assets'))
  .filter((name) => name.endsWith('.js'))
  .map((name) => {
    const content = readFileSync(join(builtRoot, 'assets', name));
    const file = `assets/${name}`;
    return {
      file,
      raw: content.length,
      gzip: gzipSync(content, { level: 9 }).length,
      firstLoad: firstLoadFiles.has(file),
    };
  })
  .sort((a, b) => Number(b.firstLoad) - Number(a.firstLoad) || b.gzip - a.gzip);
const firstLoadGzip = chunks.filter((chunk) => chunk.firstLoad).reduce((sum, chunk) => sum + chunk.gzip, 0);
const chartsChunk = chunks.find((chunk) => chunk.file.startsWith('assets/dashboard-charts'));

// --- The server: demo data, a copy of the web root with a static hello page -------------------

const folder = mkdtempSync(join(tmpdir(), 'purl-bench-dashboard-'));
const webRoot = join(folder, 'web');
cpSync(builtRoot, webRoot, { recursive: true });
writeFileSync(
  join(webRoot, 'hello.html'),
  '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Hello</title></head>' +
    '<body><p id="hello">Hello</p></body></html>\n',
);

log('loading the demo data');
const connection = connect(`sqlite:${join(folder, 'purl-bench.db')}`);
await migrateToLatest(connection.db);
const context = createContext(new Store(connection.db, connection.dialect, sha256Hex));
await loadDemo(context, demoData, { onlyIfEmpty: false, password: 'bench dashboard password 2026' });
const app = await serve({ context, host: '127.0.0.1', port: 0, webRoot, logLevel: 'warn' });
const address = app.server.address();
if (address === null || typeof address === 'string') throw new Error('the server has no TCP address');
const origin = `http://127.0.0.1:${address.port}`;

// --- The loads ------------------------------------------------------------------------------

interface Load {
  readonly firstContent: number;
  readonly domContentLoaded: number;
  readonly load: number;
  readonly chartsDrawn: number | null;
  readonly scripts: readonly string[];
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});

async function loadOnce(kind: 'dashboard' | 'hello'): Promise<Load> {
  const browserContext = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  const page = await browserContext.newPage();
  try {
    // The page says when the mark is set (a console message from an observer installed before its
    // scripts), so that Playwright evaluates nothing in it until then: its injected script, some
    // 70 ms of the page's main thread, would otherwise compete with the render being measured.
    const figuresMarked =
      kind === 'dashboard'
        ? page.waitForEvent('console', { predicate: (message) => message.text() === firstFiguresMark })
        : null;
    if (kind === 'dashboard') {
      await page.addInitScript(`new PerformanceObserver((list) => {
        if (list.getEntriesByName(${JSON.stringify(firstFiguresMark)}).length > 0)
          console.log(${JSON.stringify(firstFiguresMark)});
      }).observe({ type: 'mark', buffered: true });`);
    }
    await page.goto(`${origin}${kind === 'dashboard' ? '/' : '/hello.html'}`, { waitUntil: 'load' });
    let firstContent: number;
    let chartsDrawn: number | null = null;
    if (kind === 'dashboard') {
      await figuresMarked;
      firstContent = await page.evaluate(
        (name) => performance.getEntriesByName(name)[0]?.startTime ?? -1,
        firstFiguresMark,
      );
      // A string, not a function: tsx would wrap a named arrow function in a helper the page lacks.
      chartsDrawn = await page.evaluate<number>(`new Promise((resolve) => {
        const check = () => {
          if (document.querySelectorAll('.chart svg').length >= 3) resolve(performance.now());
          else requestAnimationFrame(check);
        };
        check();
      })`);
    } else {
      await page.locator('#hello').waitFor();
      firstContent = await page.evaluate(() => {
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        return paint?.startTime ?? navigation.domContentLoadedEventEnd;
      });
    }
    const timing = await page.evaluate(() => {
      const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return { domContentLoaded: navigation.domContentLoadedEventEnd, load: navigation.loadEventEnd };
    });
    // The scripts the figures needed: those requested before the mark (the charts' chunk is asked
    // for by the render that follows the first figures, so it must not be among them).
    const scripts = await page.evaluate(
      ({ dashboard, name }) => {
        const until = dashboard
          ? (performance.getEntriesByName(name)[0]?.startTime ?? 0)
          : Number.POSITIVE_INFINITY;
        return performance
          .getEntriesByType('resource')
          .filter((entry) => entry.name.endsWith('.js') && entry.startTime <= until)
          .map((entry) => new URL(entry.name).pathname.slice(1));
      },
      { dashboard: kind === 'dashboard', name: firstFiguresMark },
    );
    return { firstContent, ...timing, chartsDrawn, scripts };
  } finally {
    await browserContext.close();
  }
}

const loadBefore = loadAverage();
log('warming up the server (one load of each page, not counted)');
await loadOnce('hello');
await loadOnce('dashboard');
const hello: Load[] = [];
const dashboard: Load[] = [];
for (let run = 1; run <= runs; run += 1) {
  hello.push(await loadOnce('hello'));
  dashboard.push(await loadOnce('dashboard'));
  log(`run ${run}/${runs}: first figures ${dashboard.at(-1)?.firstContent.toFixed(0)} ms`);
}
const loadAfter = loadAverage();

await browser.close();
await app.close();
await context.store.close();
rmSync(folder, { recursive: true, force: true });

// --- Report ---------------------------------------------------------------------------------

const ms = (value: number) => value.toFixed(0);
const kB = (bytes: number) => (bytes / 1000).toFixed(1);
const stat = (values: readonly number[]) => ({
  median: median(values),
  min: Math.min(...values),
  max: Math.max(...values),
});
const helloFirst = stat(hello.map((load) => load.firstContent));
const dashboardFirst = stat(dashboard.map((load) => load.firstContent));
const charts = stat(dashboard.map((load) => load.chartsDrawn ?? Number.NaN));
const ratio = dashboardFirst.median / helloFirst.median;
const scriptsBeforeFigures = [...new Set(dashboard.flatMap((load) => load.scripts))].sort();
const chartsBeforeFigures = scriptsBeforeFigures.some((file) => file.startsWith('assets/dashboard-charts'));
const withinBudget = firstLoadGzip < budgetBytes;

const timingHeader = [
  'page, cold load',
  'median (ms)',
  'min (ms)',
  'max (ms)',
  'DOMContentLoaded (ms)',
  'vs hello',
];
const timingRows = [
  [
    'static hello page (baseline): first contentful paint',
    ms(helloFirst.median),
    ms(helloFirst.min),
    ms(helloFirst.max),
    ms(median(hello.map((load) => load.domContentLoaded))),
    '1.00',
  ],
  [
    'dashboard `/`: first figures in the DOM',
    ms(dashboardFirst.median),
    ms(dashboardFirst.min),
    ms(dashboardFirst.max),
    ms(median(dashboard.map((load) => load.domContentLoaded))),
    ratio.toFixed(2),
  ],
  [
    'dashboard `/`: three charts drawn',
    ms(charts.median),
    ms(charts.min),
    ms(charts.max),
    '',
    (charts.median / helloFirst.median).toFixed(2),
  ],
];
const chunkHeader = ['chunk (dist/web)', 'raw (kB)', 'gzip -9 (kB)', 'loaded'];
const chunkRows = chunks.map((chunk) => [
  `\`${chunk.file.replace(/-[\w-]{8}\.js$/, '-….js')}\``,
  kB(chunk.raw),
  kB(chunk.gzip),
  chunk.firstLoad ? 'first load' : 'on demand',
]);

const today = new Date().toISOString().slice(0, 10);
const markdown = `Command: \`node --import tsx bench/dashboard-render.ts\` after \`npx vite build\` (\`--runs N\`, default 5;
\`--write\` rewrites this section). Latest run: ${today}, ${describeMachine()}, Chromium ${browser.version()}
(\`/usr/bin/chromium\`, headless, through playwright-core); load average ${loadBefore} at the start of the
measurements, ${loadAfter} at the end.

The real server on a fresh SQLite database with the demo data (as \`e2e/support/serve-e2e.ts\` runs it) serves
the built web app; Chromium opens \`/\` as a visitor (no login) with an empty cache, each load in a fresh browser
context, ${runs} times, after one warm-up load that is not counted. Times are Chromium's own, from the start of
the navigation: **first figures** is the \`${firstFiguresMark}\` performance mark the dashboard sets once its first
figures (the totals by stage) are in the DOM; **charts drawn** is the moment the three ECharts SVGs are all in
the DOM (polled each frame). The server puts the public summary (the same cached figures \`GET /api/v1/public/summary\`
answers) into \`index.html\` as a JSON data block, so the first figures need no request of their own; the long
tables follow in a second render, the charts after them. The page reports the mark with a console message, so
that Playwright runs nothing in the page before it. Baseline, same server, same run, interleaved: a static hello page (one small HTML
file, no script) from the same web root, to its first contentful paint. Server, browser and the page share the
machine's 2 cores.

${markdownTable(timingHeader, timingRows)}

**First figures in ${ms(dashboardFirst.median)} ms** (median of ${runs} cold loads), ${ratio.toFixed(1)}× the static
hello page's ${ms(helloFirst.median)} ms. **First-load JavaScript: ${kB(firstLoadGzip)} kB gzipped** (the entry
script and its modulepreloads; gzip -9), budget ${kB(budgetBytes)} kB: ${withinBudget ? 'met' : '**not met**'}. The charts
(ECharts 6: \`echarts/core\`, the bar chart, grid, legend and tooltip, the SVG renderer) are a chunk of their own,
${chartsChunk ? `${kB(chartsChunk.gzip)} kB gzipped, ` : ''}loaded after the figures; the pages behind the login are chunks
of their own too, and so is the Ukrainian dictionary (loaded when chosen). Scripts requested before the first
figures (what they need): ${scriptsBeforeFigures.map((file) => `\`${file.replace(/-[\w-]{8}\.js$/, '-….js')}\``).join(', ')}${chartsBeforeFigures ? ' (**the charts among them**)' : ' (not the charts, requested once the figures are drawn)'}.
The server sends the files uncompressed (no compression plugin), so on the wire they are the raw sizes.

${markdownTable(chunkHeader, chunkRows)}
`;

process.stdout.write(
  `\n## ${sectionTitle}\n\n${textTable(timingHeader, timingRows)}\n\n${textTable(chunkHeader, chunkRows)}\n\n`,
);
process.stdout.write(
  `first-load JS ${kB(firstLoadGzip)} kB gzipped (budget ${kB(budgetBytes)} kB): ${withinBudget ? 'met' : 'NOT MET'}\n`,
);
if (write) {
  replaceSection(sectionTitle, markdown);
  updateSummary(sectionTitle, [
    {
      benchmark: sectionTitle,
      command: '`bench/dashboard-render.ts`',
      figure: `first figures ${ms(dashboardFirst.median)} ms`,
      baseline: `hello page ${ms(helloFirst.median)} ms`,
      ratio: ratio.toFixed(2),
      goal: '≤ 1,000 ms (issue 6)',
      met: dashboardFirst.median <= 1000 ? 'yes' : 'no',
      peakRss: '—',
    },
    {
      benchmark: sectionTitle,
      command: '`bench/dashboard-render.ts`',
      figure: `first-load JS ${kB(firstLoadGzip)} kB gzip`,
      baseline: '—',
      ratio: '—',
      goal: `< ${kB(budgetBytes)} kB gzip`,
      met: withinBudget ? 'yes' : 'no',
      peakRss: '—',
    },
  ]);
  log(`docs/performance.md: section "${sectionTitle}" rewritten`);
}
if (!withinBudget || chartsBeforeFigures) process.exit(1);
process.exit(0);
