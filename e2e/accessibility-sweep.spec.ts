import { type BrowserContext, expect, type Page, type PlaywrightWorkerArgs, test } from '@playwright/test';
import type { MeJson } from '../src/contract/index.ts';
import { en, type Messages } from '../src/web/i18n/en.ts';
import { uk } from '../src/web/i18n/uk.ts';
import { paths, type Section, sectionsOf } from '../src/web/routing/routes.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { e2eAccounts, e2ePassword, e2ePort } from './support/e2e-accounts.ts';
import { callApi, logInAs } from './support/session.ts';

/**
 * Every page each role can open, in English and in Ukrainian, scanned by axe once its content (not
 * its loading state) is on screen. A role visits the pages of its sections (routes.ts sectionsOf),
 * the detail pages of objects it may read (ids taken from the demo data as that role lists them),
 * the public dashboard and the not-found page; the visitor, who has no login, the public dashboard
 * and the login form (which is also what it gets at any other address). One login per role: the
 * tests of a role share its page, so that a failure names the role, the language and the page.
 */

type Role = MeJson['role'];
type Language = 'en' | 'uk';

const baseURL = `http://127.0.0.1:${e2ePort}`;
const catalogues: Readonly<Record<Language, Messages>> = { en, uk };
const languages: readonly Language[] = ['en', 'uk'];

/** An object a detail page shows: its id for the address, its ref for the heading. */
interface Named {
  readonly id: string;
  readonly ref: string;
  /** False for a real object the role may not read: its page then shows the refusal (a 404 notice). */
  readonly readable: boolean;
}

/** The objects of the demo data this role may read, one of each kind it lists. */
interface Known {
  readonly requirement: Named | null;
  readonly pledge: Named | null;
  readonly pkg: Named | null;
}

interface Visit {
  readonly name: string;
  /** The address, from the objects the role may read (null: the role has none of that kind). */
  readonly path: (known: Known) => string | null;
  /** The heading the page shows once loaded, in the language of the catalogue. */
  readonly heading?: (t: Messages, known: Known) => string | RegExp;
  /** A notice the page shows once loaded (the refusal of an object the role may not read). */
  readonly notice?: (t: Messages, known: Known) => string | null;
  /** A table the page shows once loaded, by its caption (one loaded apart from the page's own object). */
  readonly table?: (t: Messages, known: Known) => string;
}

const visitsOf: Readonly<Record<Section, readonly Visit[]>> = {
  requirements: [
    { name: 'priority list', path: () => paths.requirements },
    {
      name: 'requirement detail',
      path: ({ requirement }) => requirement && paths.requirement(requirement.id),
      heading: (t, { requirement }) => t.requirementDetail.heading(requirement?.ref ?? ''),
    },
  ],
  pledges: [
    { name: 'pledge register', path: () => paths.pledges() },
    { name: 'new pledge', path: () => paths.pledgeNew },
    {
      name: 'pledge detail',
      path: ({ pledge }) => pledge && paths.pledge(pledge.id),
      heading: (t, { pledge }) => t.pledge.heading(pledge?.ref ?? ''),
      table: (t, { pledge }) => t.receipts.caption(pledge?.ref ?? ''),
    },
  ],
  packages: [
    { name: 'package board', path: () => paths.packages },
    { name: 'new package', path: () => paths.packageNew },
    {
      // The demo's donor funds no package until a plan spends its money: it then gets the refusal.
      name: 'package detail, or the refusal of one the role may not read',
      path: ({ pkg }) => pkg && paths.package(pkg.id),
      heading: (t, { pkg }) =>
        pkg?.readable ? new RegExp(`^${pkg.ref}\\b`) : t.packageDetail.headingPending,
      notice: (t, { pkg }) => (pkg?.readable ? null : t.packageDetail.notFound),
    },
  ],
  allocation: [{ name: 'allocation workbench', path: () => paths.allocation }],
  ledger: [{ name: 'ledger', path: () => paths.ledger() }],
  audit: [{ name: 'audit chain', path: () => paths.audit() }],
  users: [{ name: 'users', path: () => paths.adminUsers }],
  organizations: [{ name: 'organisations', path: () => paths.adminOrganizations }],
};

/** The pages every logged-in role may open, whatever its sections. */
const everyoneVisits: readonly Visit[] = [
  { name: 'public figures', path: () => paths.dashboard, heading: (t) => t.dashboard.heading },
  { name: 'not found', path: () => '/no-such-page', heading: (t) => t.pages.notFoundHeading },
];

const visitorVisits: readonly Visit[] = [
  { name: 'public dashboard', path: () => paths.home, heading: (t) => t.dashboard.heading },
  { name: 'login', path: () => paths.login, heading: (t) => t.login.heading },
  {
    name: 'deep link to a page behind the login',
    path: () => paths.pledges(),
    heading: (t) => t.login.heading,
  },
];

function visitsOfRole(role: Role): Visit[] {
  return [...sectionsOf[role].flatMap((section) => visitsOf[section]), ...everyoneVisits];
}

const nobody: Known = { requirement: null, pledge: null, pkg: null };

/** The first object of a list the logged-in role may read, or null when it lists none (or may not list). */
async function firstOf(page: Page, path: string): Promise<Named | null> {
  const listed = await callApi(page, 'GET', path, undefined);
  if (listed.status !== 200) return null;
  const [first] = (listed.body as { items: Named[] }).items;
  return first ? { id: first.id, ref: first.ref, readable: true } : null;
}

/** A package of the demo data, as the coordinator (who reads them all) lists it. */
async function anyPackage(playwright: PlaywrightWorkerArgs['playwright']): Promise<Named> {
  const api = await playwright.request.newContext({ baseURL });
  try {
    const login = await api.post('/api/v1/session', {
      data: { email: e2eAccounts.coordinator, password: e2ePassword },
    });
    expect(login.status()).toBe(200);
    const listed = await api.get('/api/v1/packages?limit=1');
    expect(listed.status()).toBe(200);
    const [first] = ((await listed.json()) as { items: Named[] }).items;
    if (!first) throw new Error('the demo data has no package');
    return { id: first.id, ref: first.ref, readable: false };
  } finally {
    await api.dispose();
  }
}

async function knownTo(
  page: Page,
  role: Role,
  playwright: PlaywrightWorkerArgs['playwright'],
): Promise<Known> {
  const sections = sectionsOf[role];
  const pkg = sections.includes('packages') ? await firstOf(page, '/api/v1/packages?limit=1') : null;
  return {
    requirement: sections.includes('requirements')
      ? await firstOf(page, '/api/v1/requirements?limit=1')
      : null,
    pledge: sections.includes('pledges') ? await firstOf(page, '/api/v1/pledges?limit=1') : null,
    pkg: pkg ?? (sections.includes('packages') ? await anyPackage(playwright) : null),
  };
}

/** Opens the address in the language and waits for the page's content, not its loading state. */
async function open(
  page: Page,
  language: Language,
  path: string,
  heading: string | RegExp | undefined,
  notice: string | null | undefined,
  table: string | undefined,
) {
  await page.evaluate((chosen) => localStorage.setItem('purl.language', chosen), language);
  await page.goto(path);
  await expect(page.locator('html')).toHaveAttribute('lang', language);
  const title = page.locator('main').getByRole('heading', { level: 1 });
  await expect(title).toBeVisible();
  if (heading !== undefined) await expect(title).toHaveText(heading);
  if (notice) await expect(page.locator('main').getByText(notice, { exact: true })).toBeVisible();
  if (table) await expect(page.locator('main').getByRole('table', { name: table })).toBeVisible();
  await expect(page.locator('main .loading')).toHaveCount(0);
  await expect(page.locator('main [aria-busy="true"]')).toHaveCount(0);
}

function sweep(role: Role | 'visitor', visits: readonly Visit[]): void {
  test.describe(role, () => {
    let context: BrowserContext;
    let page: Page;
    let known: Known = nobody;

    test.beforeAll(async ({ browser, playwright }) => {
      context = await browser.newContext({
        baseURL,
        locale: 'en-GB',
        timezoneId: 'UTC',
        viewport: { width: 1280, height: 900 },
      });
      page = await context.newPage();
      if (role === 'visitor') {
        await page.goto(paths.home);
      } else {
        await logInAs(page, e2eAccounts[role]);
        known = await knownTo(page, role, playwright);
      }
    });
    test.afterAll(async () => {
      await context?.close();
    });

    for (const language of languages) {
      test.describe(language, () => {
        for (const visit of visits) {
          test(visit.name, async () => {
            const path = visit.path(known);
            expect(path, `${role} reads no object for the ${visit.name} in the demo data`).not.toBeNull();
            const t = catalogues[language];
            await open(
              page,
              language,
              path ?? '',
              visit.heading?.(t, known),
              visit.notice?.(t, known),
              visit.table?.(t, known),
            );
            await expectNoAxeViolations(page);
          });
        }
      });
    }
  });
}

// Each axe scan takes seconds of CPU on a two-core machine.
test.describe.configure({ timeout: 120_000 });

test.describe('accessibility sweep', () => {
  sweep('visitor', visitorVisits);
  for (const role of Object.keys(e2eAccounts) as Role[]) sweep(role, visitsOfRole(role));
});
