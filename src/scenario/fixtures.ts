/**
 * A scenario's fixtures by reference (registry and positions files), found next to it, in a parent
 * folder or under scenarios/, and read once per process.
 */
import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { loadRegistry, type RegistryResult } from '../nodo/index.ts';
import { loadPositionsFile, type LoadResult } from '../station/index.ts';
import type { StationsConfig } from '../station/index.ts';
import { SCENARIOS_DIR } from '../paths.ts';

/** Finds a fixture reference: relative to the scenario file, then in each parent folder, then under scenarios/. */
export function resolveFixture(ref: string, fromFile: string): string | undefined {
  let dir = dirname(fromFile);
  for (;;) {
    const p = resolve(dir, ref);
    if (existsSync(p)) return p;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  const p = resolve(SCENARIOS_DIR, ref);
  return existsSync(p) ? p : undefined;
}

/** Fixture files are read once per process (the suite shares them). */
const registryCache = new Map<string, RegistryResult>();
const positionsCache = new Map<string, LoadResult>();

/** Forgets the fixture files read so far: the next load reads them again (a long-lived process after an edit). */
export function clearFixtureCache(): void {
  registryCache.clear();
  positionsCache.clear();
}

export function relFile(f: string): string {
  const r = relative(process.cwd(), f);
  return r.startsWith('..') ? f : r;
}

export function registryFile(path: string): RegistryResult {
  let r = registryCache.get(path);
  if (!r) {
    r = loadRegistry(path);
    if (!r.ok) r = { ok: false, issues: r.issues.map((i) => ({ ...i, source: relFile(path) })) };
    registryCache.set(path, r);
  }
  return r;
}

export function positionsFile(path: string): LoadResult {
  let r = positionsCache.get(path);
  if (!r) {
    r = loadPositionsFile(path);
    if (!r.ok) r = { ok: false, issues: r.issues.map((i) => ({ ...i, source: relFile(path) })) };
    positionsCache.set(path, r);
  }
  return r;
}

export function mergeConfig(into: StationsConfig, add: StationsConfig): void {
  into.stations.push(...add.stations);
  into.positions.push(...add.positions);
  into.injections.push(...add.injections);
  into.services.push(...add.services);
  if (add.sendTimeoutMs !== undefined) into.sendTimeoutMs = add.sendTimeoutMs;
}
