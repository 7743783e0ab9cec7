import { useCallback, useEffect, useRef, useState } from 'react';
import type { CategoryJson, RequirementJson } from '../../../contract/index.ts';
import type { ApiClient } from '../../api/client.ts';

export interface PriorityLine {
  readonly rank: number;
  readonly requirement: RequirementJson;
}

export interface PriorityListData {
  readonly version: number;
  readonly approvedVersion: number | null;
  /** The active lines, by rank. */
  readonly lines: readonly PriorityLine[];
  /** Lines that left the list (rejected, withdrawn): they keep their reference but no rank. */
  readonly removed: readonly RequirementJson[];
  readonly categories: readonly CategoryJson[];
}

export interface PriorityListState {
  readonly data: PriorityListData | null;
  readonly loading: boolean;
  readonly loadError: unknown;
  reload(): Promise<void>;
}

async function fetchPriorityList(api: ApiClient): Promise<PriorityListData> {
  const [list, requirements, categories] = await Promise.all([
    api.priorityList(),
    api.requirements(),
    api.categories(),
  ]);
  const byId = new Map(requirements.map((requirement) => [requirement.id, requirement]));
  const lines: PriorityLine[] = [];
  for (const item of [...list.items].sort((a, b) => a.rank - b.rank)) {
    const requirement = byId.get(item.id);
    if (requirement) lines.push({ rank: item.rank, requirement });
  }
  const ranked = new Set(list.items.map((item) => item.id));
  return {
    version: list.version,
    approvedVersion: list.approvedVersion,
    lines,
    removed: requirements.filter((requirement) => !ranked.has(requirement.id)),
    categories,
  };
}

/** The list, its lines and the taxonomy; a reload keeps the old data on screen until the new arrives. */
export function usePriorityList(api: ApiClient, enabled: boolean): PriorityListState {
  const [data, setData] = useState<PriorityListData | null>(null);
  const [loading, setLoading] = useState(enabled);
  const [loadError, setLoadError] = useState<unknown>(null);
  const latest = useRef(0);

  const reload = useCallback(async () => {
    const request = ++latest.current;
    setLoading(true);
    try {
      const next = await fetchPriorityList(api);
      if (request !== latest.current) return;
      setData(next);
      setLoadError(null);
    } catch (error) {
      if (request === latest.current) setLoadError(error);
    } finally {
      if (request === latest.current) setLoading(false);
    }
  }, [api]);

  useEffect(() => {
    if (enabled) void reload();
  }, [enabled, reload]);

  return { data, loading, loadError, reload };
}
