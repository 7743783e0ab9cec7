import { useEffect, useState } from 'react';
import type { CategoryJson } from '../../../contract/index.ts';
import type { ApiClient } from '../../api/client.ts';

export interface Categories {
  readonly list: readonly CategoryJson[];
  readonly names: ReadonlyMap<string, string>;
  /** The taxonomy could not be loaded: pages show the codes, the form offers no earmark. */
  readonly failed: boolean;
}

const none: Categories = { list: [], names: new Map(), failed: false };

/** The capability taxonomy, for earmark names and the form's choices. */
export function useCategories(api: ApiClient): Categories {
  const [categories, setCategories] = useState<Categories>(none);
  useEffect(() => {
    let cancelled = false;
    api.categories().then(
      (list) => {
        if (!cancelled) {
          setCategories({
            list,
            names: new Map(list.map((category) => [category.code, category.name])),
            failed: false,
          });
        }
      },
      () => {
        if (!cancelled) setCategories({ ...none, failed: true });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api]);
  return categories;
}
