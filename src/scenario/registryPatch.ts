/**
 * `setup.registryPatch`: per-section changes to a (shared) registry, so a scenario
 * changes one flag without copying the fixture. An item that matches an existing one on
 * the section's key fields is merged into it (`remove: true` deletes it); otherwise it is
 * appended. `settings` (the Nodo's own settings, one mapping) is merged key by key
 * (stationTimeouts too). The result is raw registry data, checked again by normalizeRegistry.
 */
import type { Registry } from '../nodo/index.ts';

type Raw = Record<string, unknown>;
type ListSection = Exclude<keyof Registry, 'settings'>;
export type RegistryPatch = Partial<Record<ListSection, Raw[]>> & { settings?: Raw };

/** Key fields per section; a patch item matches when every key field it states is equal. */
export const PATCH_KEYS: Record<ListSection, string[]> = {
  creditorInstitutions: ['fiscalCode'],
  brokers: ['brokerCode'],
  stations: ['stationCode'],
  associations: ['fiscalCode', 'stationCode', 'auxDigit'],
  psps: ['pspCode'],
  pspBrokers: ['brokerPspCode'],
  channels: ['channelCode'],
  services: ['idServizio'],
};

export interface PatchedRegistry {
  data: Raw;
  /** Index of the patch item an entry of the result comes from (undefined: the base registry). */
  origin(section: string, index: number): number | undefined;
}

const same = (a: unknown, b: unknown) => String(a) === String(b);

export function applyRegistryPatch(base: Registry, patch: RegistryPatch): PatchedRegistry {
  const data = JSON.parse(JSON.stringify(base)) as Record<string, Raw[]> & { settings?: Raw };
  const origins = new Map<string, (number | undefined)[]>();
  if (patch.settings) {
    const before = data.settings ?? {};
    const timeouts = patch.settings['stationTimeouts']
      ? { stationTimeouts: { ...(before['stationTimeouts'] as Raw | undefined), ...(patch.settings['stationTimeouts'] as Raw) } }
      : {};
    data.settings = { ...before, ...patch.settings, ...timeouts };
  }
  for (const section of Object.keys(PATCH_KEYS) as ListSection[]) {
    const items = data[section] ?? [];
    const from: (number | undefined)[] = items.map(() => undefined);
    (patch[section] ?? []).forEach((p, pi) => {
      const keys = PATCH_KEYS[section].filter((k) => p[k] !== undefined);
      const { remove, ...fields } = p;
      const hits = keys.length === 0 ? [] : items.map((it, i) => (keys.every((k) => same(it[k], p[k])) ? i : -1)).filter((i) => i >= 0);
      if (hits.length === 0) {
        if (!remove) {
          items.push(fields);
          from.push(pi);
        }
        return;
      }
      for (const i of hits.reverse()) {
        if (remove) {
          items.splice(i, 1);
          from.splice(i, 1);
        } else {
          items[i] = { ...items[i], ...fields };
          from[i] = pi;
        }
      }
    });
    data[section] = items;
    origins.set(section, from);
  }
  return { data, origin: (section, index) => origins.get(section)?.[index] };
}
