import { describe, expect, it } from 'vitest';
import { mayVisit, paths, routeOf, sectionsOf } from '../../src/web/routing/routes.ts';

describe('routeOf', () => {
  it('reads every page of the app from its address', () => {
    expect(routeOf('/', '')).toEqual({ page: 'home' });
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
  });
});

describe('sections by role', () => {
  it('offers each role the sections whose API it may use, its main work first', () => {
    expect(sectionsOf.recipient).toEqual(['requirements']);
    expect(sectionsOf.supplier).toEqual(['packages', 'requirements']);
    expect(sectionsOf.donor).toEqual(['pledges', 'packages', 'allocation']);
    expect(sectionsOf.coordinator).toEqual(['requirements', 'pledges', 'packages', 'allocation']);
    expect(sectionsOf.auditor).toEqual(['requirements', 'pledges', 'packages', 'allocation']);
    expect(sectionsOf.admin).toEqual([]);
    expect(mayVisit('donor', { page: 'requirements' })).toBe(false);
    expect(mayVisit('recipient', { page: 'packages' })).toBe(false);
    expect(mayVisit('supplier', { page: 'allocation' })).toBe(false);
    expect(mayVisit('donor', { page: 'package', id: 'x' })).toBe(true);
    expect(mayVisit('recipient', { page: 'pledge', id: 'x' })).toBe(false);
    expect(mayVisit('donor', { page: 'not-found' })).toBe(true);
  });
});
