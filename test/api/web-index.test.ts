import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PublicSummaryJson } from '../../src/contract/index.ts';
import { buildApp } from '../../src/server/app.ts';
import { jsonForScriptElement, summaryElementId } from '../../src/server/web-index.ts';
import { type Client, startApi, type TestApi } from '../support/api.ts';
import { dialects } from '../support/databases.ts';

const indexHtml =
  '<!doctype html>\n<html lang="en">\n  <head>\n    <title>PURL Desk</title>\n  </head>\n' +
  '  <body>\n    <div id="root"></div>\n  </body>\n</html>\n';

const blockPattern = new RegExp(`<script type="application/json" id="${summaryElementId}">([^<]*)</script>`);

/** The summary in the page's data block, or null when the page has none. */
function summaryInPage(html: string): PublicSummaryJson | null {
  const match = blockPattern.exec(html);
  return match?.[1] === undefined ? null : (JSON.parse(match[1]) as PublicSummaryJson);
}

describe('JSON in a script element', () => {
  test('no name can end the element or open a comment, and the JSON reads back the same', () => {
    const value = { name: '</script><script>alert(1)</script><!-- x', other: 'a < b', note: null };
    const text = jsonForScriptElement(value);
    expect(text).not.toContain('<');
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe.each(dialects)('index.html with the public summary on %s', (dialect) => {
  let api: TestApi;
  let coordinator: Client;
  let web: FastifyInstance;
  let webRoot: string;

  beforeAll(async () => {
    api = await startApi(dialect);
    coordinator = await api.as('coordinator');
    webRoot = mkdtempSync(join(tmpdir(), 'purl-web-index-'));
    writeFileSync(join(webRoot, 'index.html'), indexHtml);
    // The same database and cache as the API's app, serving a web root as `purl serve` does.
    web = await buildApp({ context: api.database.context, webRoot });
  });
  afterAll(async () => {
    await web?.close();
    await api?.close();
    if (webRoot) rmSync(webRoot, { recursive: true, force: true });
  });

  async function pageAndSummary(path: string) {
    const page = await web.inject({ method: 'GET', url: path });
    const summary = await web.inject({ method: 'GET', url: '/api/v1/public/summary' });
    expect(summary.statusCode).toBe(200);
    return { page, summary: summary.json<PublicSummaryJson>() };
  }

  test('the dashboard page carries the figures GET /api/v1/public/summary answers, and is not cached', async () => {
    for (const path of ['/', '/dashboard', '/?from=link']) {
      const { page, summary } = await pageAndSummary(path);
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['cache-control']).toBe('no-cache');
      // The data block does not run: the policy still forbids inline scripts.
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      expect(summaryInPage(page.body)).toEqual(summary);
    }
  });

  test('the figures in the page follow a new pledge, as the API does', async () => {
    const before = summaryInPage((await web.inject({ method: 'GET', url: '/' })).body);
    const recorded = await coordinator.request('POST', '/api/v1/pledges', {
      body: {
        donor: 'GBR',
        amount: { amount: '1250000.00', currency: 'USD' },
        announcedOn: '2026-02-11',
        forum: 'UDCG, Brussels, 2026-02-12',
        source: 'https://www.gov.uk/news/purl-web-index',
      },
    });
    expect(recorded.statusCode, recorded.body).toBe(201);
    const { page, summary } = await pageAndSummary('/');
    const after = summaryInPage(page.body);
    expect(after).toEqual(summary);
    expect(after?.pledgesCounted).toBe((before?.pledgesCounted ?? 0) + 1);
  });

  test('other pages of the app get index.html as it is, without the figures', async () => {
    const page = await web.inject({ method: 'GET', url: '/pledges' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toBe(indexHtml);
    const api404 = await web.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(api404.statusCode).toBe(404);
  });

  test('HEAD on any page of the app answers as GET does, without a body', async () => {
    for (const path of ['/', '/dashboard', '/pledges', '/audit?object=x']) {
      const get = await web.inject({ method: 'GET', url: path });
      const head = await web.inject({ method: 'HEAD', url: path });
      expect(head.statusCode, path).toBe(200);
      expect(head.headers['content-type'], path).toBe(get.headers['content-type']);
      expect(head.body, path).toBe('');
    }
    expect((await web.inject({ method: 'HEAD', url: '/api/v1/nothing-here' })).statusCode).toBe(404);
  });
});
