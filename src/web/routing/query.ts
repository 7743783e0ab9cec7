/**
 * `path?name=value&…` with each value that is set, in the order named; `path` alone when none is.
 * Every page address and API call that carries criteria (a search, a day, a cursor) is built here.
 */
export function withQuery(path: string, values: Readonly<Record<string, string | null | undefined>>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value) query.set(name, value);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}
