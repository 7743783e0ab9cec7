import type { MeJson, PledgeJson } from '../../contract/index.ts';
import { withQuery } from './query.ts';

type Role = MeJson['role'];
type PledgeStage = PledgeJson['stage'];

/** The pages of the app, as the address bar names them: every page has a deep link. */
export type Route =
  | { readonly page: 'home' }
  | { readonly page: 'login' }
  | { readonly page: 'dashboard' }
  | { readonly page: 'requirements' }
  | { readonly page: 'requirement'; readonly id: string }
  | { readonly page: 'pledges'; readonly filter: PledgeFilter }
  | { readonly page: 'pledge-new' }
  | { readonly page: 'pledge'; readonly id: string }
  | { readonly page: 'packages' }
  | { readonly page: 'package-new' }
  | { readonly page: 'package'; readonly id: string }
  | { readonly page: 'allocation' }
  | { readonly page: 'audit'; readonly filter: AuditFilter }
  | { readonly page: 'ledger'; readonly asOf: string | null }
  | { readonly page: 'admin-organizations' }
  | { readonly page: 'admin-users' }
  | { readonly page: 'not-found' };

export interface PledgeFilter {
  readonly stage: PledgeStage | null;
  readonly donor: string | null;
}

/** The search of the audit chain: an object (type or id), an actor, UTC days (inclusive). */
export interface AuditFilter {
  readonly object: string | null;
  readonly actor: string | null;
  readonly from: string | null;
  readonly to: string | null;
}

/** The parts of the app a header link leads to; each page belongs to one. */
export type Section =
  | 'requirements'
  | 'pledges'
  | 'packages'
  | 'allocation'
  | 'ledger'
  | 'audit'
  | 'users'
  | 'organizations';

/**
 * The sections each role works in, first the one it lands on after logging in. It mirrors the
 * server's policy table only to offer the pages that can work; the server decides.
 */
export const sectionsOf: Readonly<Record<Role, readonly Section[]>> = {
  // The recipient reads the packages made of its requirements, to confirm what arrives.
  recipient: ['requirements', 'packages'],
  coordinator: ['requirements', 'pledges', 'packages', 'allocation', 'ledger'],
  // The supplier's work is pricing and shipping packages; the list is there to read.
  supplier: ['packages', 'requirements'],
  // A donor sees the packages its money funds and asks the workbench what a new pledge would fund.
  donor: ['pledges', 'packages', 'allocation'],
  auditor: ['requirements', 'pledges', 'packages', 'allocation', 'ledger', 'audit'],
  // The administrator runs the platform: its users and organisations, and the audit chain.
  admin: ['users', 'organizations', 'audit'],
};

const pledgeStages: readonly PledgeStage[] = ['announced', 'committed', 'paid'];
const donorPattern = /^[A-Z][A-Z0-9-]{1,15}$/;

function isStage(value: string | null): value is PledgeStage {
  return value !== null && (pledgeStages as readonly string[]).includes(value);
}

/** The route of an address; a malformed filter is dropped rather than refused. */
export function routeOf(pathname: string, search: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return { page: 'home' };
  if (path === '/login') return { page: 'login' };
  if (path === '/dashboard') return { page: 'dashboard' };
  if (path === '/requirements') return { page: 'requirements' };
  const requirement = /^\/requirements\/([^/]{1,64})$/.exec(path);
  if (requirement?.[1]) {
    const id = decoded(requirement[1]);
    return id === null ? { page: 'not-found' } : { page: 'requirement', id };
  }
  if (path === '/pledges') {
    const query = new URLSearchParams(search);
    const stage = query.get('stage');
    const donor = query.get('donor');
    return {
      page: 'pledges',
      filter: {
        stage: isStage(stage) ? stage : null,
        donor: donor !== null && donorPattern.test(donor) ? donor : null,
      },
    };
  }
  if (path === '/pledges/new') return { page: 'pledge-new' };
  const pledge = /^\/pledges\/([^/]{1,64})$/.exec(path);
  if (pledge?.[1]) {
    const id = decoded(pledge[1]);
    return id === null ? { page: 'not-found' } : { page: 'pledge', id };
  }
  if (path === '/packages') return { page: 'packages' };
  if (path === '/packages/new') return { page: 'package-new' };
  const pkg = /^\/packages\/([^/]{1,64})$/.exec(path);
  if (pkg?.[1]) {
    const id = decoded(pkg[1]);
    return id === null ? { page: 'not-found' } : { page: 'package', id };
  }
  if (path === '/allocation') return { page: 'allocation' };
  if (path === '/audit') return { page: 'audit', filter: auditFilterOf(new URLSearchParams(search)) };
  if (path === '/ledger') {
    const asOf = new URLSearchParams(search).get('asOf');
    return { page: 'ledger', asOf: asOf !== null && isoDatePattern.test(asOf) ? asOf : null };
  }
  if (path === '/admin/organizations') return { page: 'admin-organizations' };
  if (path === '/admin/users') return { page: 'admin-users' };
  return { page: 'not-found' };
}

const isoDatePattern = /^\d{4}-\d{2}-\d{2}$/;

function auditFilterOf(query: URLSearchParams): AuditFilter {
  const text = (name: string, max: number) => {
    const value = query.get(name)?.trim();
    return value && value.length <= max ? value : null;
  };
  const day = (name: string) => {
    const value = query.get(name);
    return value !== null && isoDatePattern.test(value) ? value : null;
  };
  return { object: text('object', 64), actor: text('actor', 254), from: day('from'), to: day('to') };
}

/** A path segment decoded, or null when it is not valid percent-encoding. */
function decoded(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** The audit search's criteria, as the page's address and the API name them. */
export function auditCriteria(
  filter: Partial<AuditFilter>,
): Record<keyof AuditFilter, string | null | undefined> {
  return { object: filter.object, actor: filter.actor, from: filter.from, to: filter.to };
}

export const paths = {
  home: '/',
  login: '/login',
  dashboard: '/dashboard',
  requirements: '/requirements',
  requirement: (id: string) => `/requirements/${encodeURIComponent(id)}`,
  pledges: (filter: Partial<PledgeFilter> = {}) =>
    withQuery('/pledges', { stage: filter.stage, donor: filter.donor }),
  pledgeNew: '/pledges/new',
  pledge: (id: string) => `/pledges/${encodeURIComponent(id)}`,
  packages: '/packages',
  packageNew: '/packages/new',
  package: (id: string) => `/packages/${encodeURIComponent(id)}`,
  allocation: '/allocation',
  audit: (filter: Partial<AuditFilter> = {}) => withQuery('/audit', auditCriteria(filter)),
  ledger: (asOf: string | null = null) => withQuery('/ledger', { asOf }),
  adminOrganizations: '/admin/organizations',
  adminUsers: '/admin/users',
  section: (section: Section) =>
    section === 'users' || section === 'organizations' ? `/admin/${section}` : `/${section}`,
};

export function sectionOf(route: Route): Section | null {
  switch (route.page) {
    case 'requirements':
    case 'requirement':
      return 'requirements';
    case 'pledges':
    case 'pledge-new':
    case 'pledge':
      return 'pledges';
    case 'packages':
    case 'package-new':
    case 'package':
      return 'packages';
    case 'allocation':
      return 'allocation';
    case 'ledger':
      return 'ledger';
    case 'audit':
      return 'audit';
    case 'admin-users':
      return 'users';
    case 'admin-organizations':
      return 'organizations';
    default:
      return null;
  }
}

/** Whether the role may use the page of this route (home, login, dashboard and not-found belong to everyone). */
export function mayVisit(role: Role, route: Route): boolean {
  const section = sectionOf(route);
  return section === null || sectionsOf[role].includes(section);
}
