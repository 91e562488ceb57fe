/**
 * A scenario's setup: the registry (with its patch), the positions, the injections and the PSP,
 * from the suite's setup and the scenario's own; problems located in the document.
 */
import { yamlLocator, type YamlPath } from '../yamlSource.ts';
import type { LineCounter, Document } from 'yaml';
import { normalizeRegistry, type Registry } from '../nodo/index.ts';
import { normalizeInjection, normalizePositions } from '../station/index.ts';
import { emptyConfig, type Injection, type StationsConfig } from '../station/index.ts';
import { issue, type Issue } from '../xml/index.ts';
import { applyRegistryPatch, type RegistryPatch } from './registryPatch.ts';
import type { PspCredentials, Setup } from './model.ts';
import { mergeConfig, positionsFile, registryFile, resolveFixture } from './fixtures.ts';
import { pathText } from './scenarioSchema.ts';

export const DEFAULT_REGISTRY = 'fixtures/registry.default.yaml';
export const DEFAULT_POSITIONS = 'fixtures/positions.default.yaml';
export const DEFAULT_CLOCK = '2026-01-15T10:00:00.000Z';

/** A scenario document as parsed, and a path into it. */
export type Raw = Record<string, unknown>;
export type Path = YamlPath;

export interface DocCtx {
  file: string;
  doc: Document;
  lc: LineCounter;
  issues: Issue[];
}

/** Where a path of the document is (`atKey`: an unknown or misspelt key at the key itself); the document's start when nothing is found. */
export function locator(ctx: DocCtx, atKey = false) {
  const locate = yamlLocator(ctx.doc, ctx.lc, [], { atKey });
  return (path: Path): { line: number; col: number } => locate(path) ?? { line: 1, col: 1 };
}

export function problem(ctx: DocCtx, path: Path, code: string, message: string): void {
  const lc = locator(ctx)(path);
  ctx.issues.push(issue(code, message, { path: pathText(path), line: lc.line, col: lc.col, source: ctx.file }));
}

function loadRegistrySetup(ctx: DocCtx, setup: Raw, path: Path, absFile: string): Registry | undefined {
  const ref = setup['registry'] ?? DEFAULT_REGISTRY;
  let base: Raw | undefined;
  let registry: Registry | undefined;
  if (typeof ref === 'string') {
    const p = resolveFixture(ref, absFile);
    if (!p) {
      problem(
        ctx,
        [...path, 'registry'],
        'SCENARIO_FIXTURE',
        `Failed to load the scenario: registry fixture '${ref}' not found (looked next to the file, in its parent folders and in scenarios/). Fix the reference.`,
      );
      return undefined;
    }
    const r = registryFile(p);
    if (!r.ok) {
      ctx.issues.push(...r.issues);
      return undefined;
    }
    registry = r.registry;
  } else {
    base = ref as Raw;
    const r = normalizeRegistry(base, { file: ctx.file, locate: (p) => locator(ctx)([...path, 'registry', ...p]) });
    if (!r.ok) {
      ctx.issues.push(...r.issues);
      return undefined;
    }
    registry = r.registry;
  }
  const patch = setup['registryPatch'] as RegistryPatch | undefined;
  if (!patch) return registry;
  const patched = applyRegistryPatch(registry, patch);
  const r = normalizeRegistry(patched.data, {
    file: ctx.file,
    locate: (p) => {
      const origin = typeof p[1] === 'number' ? patched.origin(String(p[0]), p[1]) : undefined;
      return origin !== undefined ? locator(ctx)([...path, 'registryPatch', String(p[0]), origin, ...p.slice(2)]) : locator(ctx)([...path, 'registryPatch']);
    },
  });
  if (!r.ok) {
    ctx.issues.push(...r.issues.map((i) => ({ ...i, message: i.message.replace('Failed to load the registry', 'Failed to apply registryPatch') })));
    return undefined;
  }
  return r.registry;
}

function loadPositionsSetup(ctx: DocCtx, setup: Raw, path: Path, absFile: string): StationsConfig | undefined {
  const value = setup['positions'] ?? DEFAULT_POSITIONS;
  const config = emptyConfig();
  let ok = true;
  const fromFile = (ref: string, at: Path) => {
    const p = resolveFixture(ref, absFile);
    if (!p) {
      problem(
        ctx,
        at,
        'SCENARIO_FIXTURE',
        `Failed to load the scenario: positions fixture '${ref}' not found (looked next to the file, in its parent folders and in scenarios/). Fix the reference.`,
      );
      ok = false;
      return;
    }
    const r = positionsFile(p);
    if (r.ok) mergeConfig(config, r.config);
    else {
      ctx.issues.push(...r.issues);
      ok = false;
    }
  };
  const inline = (data: unknown, at: Path) => {
    const r = normalizePositions(data, { locate: yamlLocator(ctx.doc, ctx.lc, at), source: ctx.file });
    if (r.ok) mergeConfig(config, r.config);
    else {
      ctx.issues.push(...r.issues);
      ok = false;
    }
  };
  const at = [...path, 'positions'];
  if (typeof value === 'string') fromFile(value, at);
  else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (typeof item === 'string') fromFile(item, [...at, i]);
      else {
        // One position item: normalise it as a one-position document, located at its own node.
        const r = normalizePositions({ positions: [item] }, { locate: (p) => yamlLocator(ctx.doc, ctx.lc, [...at, i])(p.slice(2)), source: ctx.file });
        if (r.ok) mergeConfig(config, r.config);
        else {
          ctx.issues.push(...r.issues);
          ok = false;
        }
      }
    });
  } else inline(value, at);
  return ok ? config : undefined;
}

function loadInjections(ctx: DocCtx, list: unknown, at: Path): Injection[] {
  const out: Injection[] = [];
  (Array.isArray(list) ? list : []).forEach((raw, i) => {
    const r = normalizeInjection(raw, { locate: yamlLocator(ctx.doc, ctx.lc, [...at, i]), source: ctx.file });
    if (r.ok) out.push(r.injection);
    else ctx.issues.push(...r.issues);
  });
  return out;
}

/** PSP credentials: setup.psp over the registry's first enabled channel (V2 preferred). */
function defaultPsp(registry: Registry, given: Partial<PspCredentials> | undefined): PspCredentials {
  const channels = registry.channels.filter((c) => c.enabled);
  const ch = channels.find((c) => c.primitiveVersion === 2) ?? channels[0] ?? registry.channels[0];
  return {
    idPSP: given?.idPSP ?? ch?.pspCodes[0] ?? '88888888888',
    idBrokerPSP: given?.idBrokerPSP ?? ch?.brokerPspCode ?? '88888888888',
    idChannel: given?.idChannel ?? ch?.channelCode ?? '88888888888_01',
    password: given?.password ?? ch?.password ?? 'PLACEHOLDER',
  };
}

export function buildSetup(
  ctx: DocCtx,
  suiteSetup: Raw | undefined,
  own: Raw | undefined,
  ownPath: Path,
  suitePath: Path,
  id: string,
  absFile: string,
): Setup | undefined {
  // The scenario's own keys win over the suite's, key by key; each is located where it was written.
  const merged: Raw = { ...(suiteSetup ?? {}), ...(own ?? {}) };
  const pathOf = (k: string): Path => (own && k in own ? ownPath : suitePath);
  const regKey = own && ('registry' in own || 'registryPatch' in own) ? ownPath : suitePath;
  const registry = loadRegistrySetup(ctx, { registry: merged['registry'], registryPatch: merged['registryPatch'] }, regKey, absFile);
  const positions = loadPositionsSetup(ctx, { positions: merged['positions'] }, pathOf('positions'), absFile);
  const inject = loadInjections(ctx, merged['inject'], [...pathOf('inject'), 'inject']);
  if (!registry || !positions) return undefined;
  return {
    registry,
    positions,
    inject,
    clock: (merged['clock'] as string | undefined) ?? DEFAULT_CLOCK,
    seed: String(merged['seed'] ?? id),
    ...(merged['notice'] ? { notice: merged['notice'] as Setup['notice'] } : {}),
    psp: defaultPsp(registry, merged['psp'] as Partial<PspCredentials> | undefined),
  };
}
