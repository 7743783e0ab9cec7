import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { canonicalJson } from '../../src/core/audit/canonical-json.ts';

describe('canonicalJson', () => {
  test('gives the same bytes whatever the order of the keys', () => {
    const a = { title: 'Interceptors', unitCost: { amount: '1.00', currency: 'USD' }, rank: 1 };
    const b = { rank: 1, unitCost: { currency: 'USD', amount: '1.00' }, title: 'Interceptors' };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(b)).toBe(
      '{"rank":1,"title":"Interceptors","unitCost":{"amount":"1.00","currency":"USD"}}',
    );
  });

  test('sorts keys by code unit, not by locale', () => {
    expect(canonicalJson({ b: 1, a: 2, B: 3, _: 4, é: 5 })).toBe('{"B":3,"_":4,"a":2,"b":1,"é":5}');
  });

  test('encodes a bigint as its exact decimal string, even beyond 2^53', () => {
    expect(canonicalJson(15_000_000_000n)).toBe('"15000000000"');
    expect(canonicalJson({ minor: 2n ** 70n })).toBe('{"minor":"1180591620717411303424"}');
    expect(canonicalJson(-5n)).toBe('"-5"');
  });

  test('keeps array order, drops undefined members and writes undefined items as null', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
    expect(canonicalJson([undefined, 1])).toBe('[null,1]');
  });

  test('has no insignificant whitespace and escapes strings as JSON does', () => {
    expect(canonicalJson({ text: 'line\n"quoted"' })).toBe('{"text":"line\\n\\"quoted\\""}');
  });

  test('refuses values with no exact canonical form', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson(Number.POSITIVE_INFINITY)).toThrow(TypeError);
    expect(() => canonicalJson({ run: () => 1 })).toThrow(TypeError);
    expect(() => canonicalJson(Symbol('x'))).toThrow(TypeError);
  });

  test('is valid JSON equal to the value, and independent of key order, for any JSON value', () => {
    const value = fc.jsonValue({ maxDepth: 4 });
    fc.assert(
      fc.property(value, fc.nat(), (json, seed) => {
        const encoded = canonicalJson(json);
        expect(JSON.parse(encoded)).toEqual(JSON.parse(JSON.stringify(json)));
        expect(canonicalJson(reorderKeys(json, seed))).toBe(encoded);
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});

/** The same value with the keys of every object in another (seeded) order. */
function reorderKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((item) => reorderKeys(item, seed));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  const rotation = entries.length ? seed % entries.length : 0;
  const rotated = [...entries.slice(rotation), ...entries.slice(0, rotation)].reverse();
  return Object.fromEntries(rotated.map(([key, member]) => [key, reorderKeys(member, seed)]));
}
