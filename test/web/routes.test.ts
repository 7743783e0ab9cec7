import { describe, expect, it } from 'vitest';
import { withQuery } from '../../src/web/routing/query.ts';
import { mayVisit, paths, routeOf, sectionOf, sectionsOf } from '../../src/web/routing/routes.ts';

describe('routeOf', () => {
  it('reads every page of the app from its address', () => {
    expect(routeOf('/', '')).toEqual({ page: 'home' });
    expect(routeOf('/login', '')).toEqual({ page: 'login' });
    expect(routeOf('/dashboard/', '')).toEqual({ page: 'dashboard' });
    expect(routeOf('/requirements/', '')).toEqual({ page: 'requirements' });
    expect(routeOf('/pledges', '?stage=paid&donor=GBR')).toEqual({
      page: 'pledges',
      filter: { stage: 'paid', donor: 'GBR' },
    });
    expect(routeOf('/pledges/new', '')).toEqual({ page: 'pledge-new' });
    expect(routeOf('/pledges/01J%2FX', '')).toEqual({ page: 'pledge', id: '01J/X' });
    expect(routeOf('/pledges/a/b', '')).toEqual({ page: 'not-found' });
    expect(routeOf('/packages', '')).toEqual({ page: 'packages' });
    expect(routeOf('/packages/new', '')).toEqual({ page: 'package-new' });
    expect(routeOf('/packages/01J%2FX', '')).toEqual({ page: 'package', id: '01J/X' });
    expect(routeOf('/packages/%E0%A4%A', '')).toEqual({ page: 'not-found' });
    expect(routeOf('/allocation/', '')).toEqual({ page: 'allocation' });
    expect(routeOf('/nowhere', '')).toEqual({ page: 'not-found' });
  });

  it('drops a malformed filter instead of sending it to the API', () => {
    expect(routeOf('/pledges', '?stage=pledged&donor=gbr')).toEqual({
      page: 'pledges',
      filter: { stage: null, donor: null },
    });
  });

  it('builds the addresses it reads', () => {
    expect(routeOf('/pledges', new URL(paths.pledges({ stage: 'committed' }), 'http://x').search)).toEqual({
      page: 'pledges',
      filter: { stage: 'committed', donor: null },
    });
    expect(routeOf(new URL(paths.pledge('a b/c'), 'http://x').pathname, '')).toEqual({
      page: 'pledge',
      id: 'a b/c',
    });
    expect(routeOf(new URL(paths.package('a b/c'), 'http://x').pathname, '')).toEqual({
      page: 'package',
      id: 'a b/c',
    });
    for (const section of ['requirements', 'pledges', 'packages', 'allocation'] as const) {
      expect(routeOf(paths.section(section), '').page).toBe(section);
    }
    const search = { object: 'P-1 & co', actor: null, from: '2026-02-01', to: null };
    expect(paths.audit(search)).toBe('/audit?object=P-1+%26+co&from=2026-02-01');
    expect(routeOf('/audit', new URL(paths.audit(search), 'http://x').search)).toEqual({
      page: 'audit',
      filter: search,
    });
    expect(paths.audit()).toBe('/audit');
    expect(paths.ledger('2026-02-12')).toBe('/ledger?asOf=2026-02-12');
    expect(paths.ledger()).toBe('/ledger');
    expect(paths.pledges()).toBe('/pledges');
  });

  it('puts only the criteria that are set into a query, in the order named', () => {
    expect(
      withQuery('/api/v1/audit', { limit: '50', object: 'a/b?c', actor: '', from: null, to: undefined }),
    ).toBe('/api/v1/audit?limit=50&object=a%2Fb%3Fc');
    expect(withQuery('/api/v1/ledger/entries', { asOf: null })).toBe('/api/v1/ledger/entries');
  });
});

describe('sections by role', () => {
  it('offers each role the sections whose API it may use, its main work first', () => {
    expect(sectionsOf.recipient).toEqual(['requirements', 'packages']);
    expect(sectionsOf.supplier).toEqual(['packages', 'requirements']);
    expect(sectionsOf.donor).toEqual(['pledges', 'packages', 'allocation']);
    expect(sectionsOf.coordinator).toEqual(['requirements', 'pledges', 'packages', 'allocation', 'ledger']);
    expect(sectionsOf.auditor).toEqual([
      'requirements',
      'pledges',
      'packages',
      'allocation',
      'ledger',
      'audit',
    ]);
    expect(sectionsOf.admin).toEqual(['users', 'organizations', 'audit']);
    expect(mayVisit('donor', { page: 'requirements' })).toBe(false);
    expect(mayVisit('recipient', { page: 'packages' })).toBe(true);
    expect(mayVisit('recipient', { page: 'package', id: 'x' })).toBe(true);
    expect(mayVisit('coordinator', { page: 'ledger', asOf: null })).toBe(true);
    expect(
      mayVisit('coordinator', { page: 'audit', filter: { object: null, actor: null, from: null, to: null } }),
    ).toBe(false);
    expect(mayVisit('admin', { page: 'admin-users' })).toBe(true);
    expect(mayVisit('admin', { page: 'ledger', asOf: null })).toBe(false);
    expect(mayVisit('auditor', { page: 'admin-organizations' })).toBe(false);
    expect(mayVisit('supplier', { page: 'allocation' })).toBe(false);
    expect(mayVisit('donor', { page: 'package', id: 'x' })).toBe(true);
    expect(mayVisit('recipient', { page: 'pledge', id: 'x' })).toBe(false);
    expect(mayVisit('donor', { page: 'not-found' })).toBe(true);
    expect(mayVisit('admin', { page: 'dashboard' })).toBe(true);
    expect(mayVisit('recipient', { page: 'login' })).toBe(true);
  });
});

describe('the auditor’s and the administrator’s pages', () => {
  const noSearch = { object: null, actor: null, from: null, to: null };

  it('reads the audit search, the ledger day and the admin pages from the address', () => {
    expect(routeOf('/audit', '')).toEqual({ page: 'audit', filter: noSearch });
    expect(routeOf('/audit', '?object=pledge&actor=GBR&from=2026-02-01&to=2026-02-28')).toEqual({
      page: 'audit',
      filter: { object: 'pledge', actor: 'GBR', from: '2026-02-01', to: '2026-02-28' },
    });
    expect(routeOf('/ledger', '?asOf=2026-02-12')).toEqual({ page: 'ledger', asOf: '2026-02-12' });
    expect(routeOf('/ledger/', '')).toEqual({ page: 'ledger', asOf: null });
    expect(routeOf('/admin/organizations', '')).toEqual({ page: 'admin-organizations' });
    expect(routeOf('/admin/users/', '')).toEqual({ page: 'admin-users' });
    expect(routeOf('/admin', '')).toEqual({ page: 'not-found' });
  });

  it('drops a malformed day or an overlong text rather than sending it to the API', () => {
    expect(routeOf('/audit', `?from=12%2F02%2F2026&to=2026-2-1&object=${'x'.repeat(65)}&actor=%20`)).toEqual({
      page: 'audit',
      filter: noSearch,
    });
    expect(routeOf('/ledger', '?asOf=yesterday')).toEqual({ page: 'ledger', asOf: null });
  });

  it('builds the addresses it reads, and a header link for each section', () => {
    const search = { object: 'a b&c', actor: 'planner@mod.gov.ua.example', from: '2026-01-01', to: null };
    const audit = new URL(paths.audit(search), 'http://x');
    expect(routeOf(audit.pathname, audit.search)).toEqual({ page: 'audit', filter: search });
    expect(paths.audit()).toBe('/audit');
    const ledger = new URL(paths.ledger('2026-02-12'), 'http://x');
    expect(routeOf(ledger.pathname, ledger.search)).toEqual({ page: 'ledger', asOf: '2026-02-12' });
    expect(paths.ledger()).toBe('/ledger');
    expect(routeOf(paths.section('ledger'), '').page).toBe('ledger');
    expect(routeOf(paths.section('audit'), '').page).toBe('audit');
    expect(routeOf(paths.section('users'), '').page).toBe('admin-users');
    expect(routeOf(paths.section('organizations'), '').page).toBe('admin-organizations');
  });
});

describe('the page of one requirement line', () => {
  it('reads a line’s deep link, and the list’s address stays the list', () => {
    expect(routeOf('/requirements/01JREQ', '')).toEqual({ page: 'requirement', id: '01JREQ' });
    expect(routeOf('/requirements/01J%2FX/', '')).toEqual({ page: 'requirement', id: '01J/X' });
    expect(routeOf('/requirements', '')).toEqual({ page: 'requirements' });
    expect(routeOf('/requirements/a/history', '')).toEqual({ page: 'not-found' });
    expect(routeOf('/requirements/%E0%A4%A', '')).toEqual({ page: 'not-found' });
    expect(routeOf(`/requirements/${'x'.repeat(65)}`, '')).toEqual({ page: 'not-found' });
  });

  it('builds the address it reads, in the requirements section', () => {
    expect(routeOf(new URL(paths.requirement('a b/c'), 'http://x').pathname, '')).toEqual({
      page: 'requirement',
      id: 'a b/c',
    });
    expect(sectionOf({ page: 'requirement', id: 'x' })).toBe('requirements');
  });

  it('is open to the roles that read the list, and to no other', () => {
    const line = { page: 'requirement', id: 'x' } as const;
    expect(mayVisit('recipient', line)).toBe(true);
    expect(mayVisit('coordinator', line)).toBe(true);
    expect(mayVisit('supplier', line)).toBe(true);
    expect(mayVisit('auditor', line)).toBe(true);
    expect(mayVisit('donor', line)).toBe(false);
    expect(mayVisit('admin', line)).toBe(false);
  });
});
