import { Limits } from '../../core/limits.ts';
import type { Page, PageRequest } from '../../store/page.ts';

/**
 * Every item of a paged list use case, read lazily as the download consumes it. The first page
 * is read now, so a refusal or a bad filter is the response's status, not a broken download.
 */
export async function everyItem<T>(list: (page: PageRequest) => Promise<Page<T>>): Promise<AsyncIterable<T>> {
  const first = await list({ limit: Limits.pageSizeMax, cursor: null });
  return (async function* () {
    yield* first.items;
    let cursor = first.nextCursor;
    while (cursor !== null) {
      const page = await list({ limit: Limits.pageSizeMax, cursor });
      yield* page.items;
      cursor = page.nextCursor;
    }
  })();
}

/** Every item of a paged list use case, all in memory: for a file written in another order. */
export async function allItems<T>(list: (page: PageRequest) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of await everyItem(list)) items.push(item);
  return items;
}
