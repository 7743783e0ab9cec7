import type { AppContext } from '../app/context.ts';
import { cachedPublicSummary } from '../app/summary-cache.ts';
import { presentPublicSummary } from './routes/public.routes.ts';

/** The addresses where a visitor lands on the public dashboard. */
export const dashboardPaths: ReadonlySet<string> = new Set(['/', '/dashboard']);

/** The id of the data block the web app reads its first figures from (src/web/main.tsx). */
export const summaryElementId = 'purl-summary';

/**
 * JSON that can sit in an HTML `<script>` element: `<` only occurs inside JSON strings, where
 * `\u003c` is the same character, so no `</script>` or `<!--` in a name can end or upset the block.
 */
export function jsonForScriptElement(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** The built index.html, split where the data block goes (before `</body>`); null without one. */
export interface IndexPage {
  readonly head: string;
  readonly tail: string;
}

/** Splits index.html once, at start-up, where the summary's data block goes. */
export function indexPage(html: string): IndexPage | null {
  const end = html.lastIndexOf('</body>');
  return end < 0 ? null : { head: html.slice(0, end), tail: html.slice(end) };
}

/**
 * The web app's index.html with the current public summary in it, as a JSON data block (which does
 * not run, so the content security policy's ban on inline scripts is kept): the dashboard draws its
 * first figures without waiting for a round trip to GET /api/v1/public/summary. The figures are
 * the public ones whoever asks (the principal is always `public`), from the same cache as that
 * route, so they are as current as its answer.
 */
export async function indexWithPublicSummary(page: IndexPage, context: AppContext): Promise<string> {
  const { body } = await cachedPublicSummary(context, 'public', 'html-data-block', (summary) =>
    jsonForScriptElement(presentPublicSummary(summary)),
  );
  const block = `<script type="application/json" id="${summaryElementId}">${body.toString('utf8')}</script>\n`;
  return `${page.head}${block}${page.tail}`;
}
