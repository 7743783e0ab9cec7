/** The order after moving one line by one place; null when it cannot move that way. */
export function moveLine(order: readonly string[], id: string, delta: -1 | 1): string[] | null {
  const from = order.indexOf(id);
  const to = from + delta;
  if (from < 0 || to < 0 || to >= order.length) return null;
  const next = [...order];
  next[from] = order[to] as string;
  next[to] = id;
  return next;
}
