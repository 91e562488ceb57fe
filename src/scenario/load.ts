/**
 * Scenario files: discovery (paths, directories, globs), YAML with a LineCounter,
 * schema.json with ajv, fixtures by reference, then semantic checks. Every problem is
 * an Issue with file:line:col; nothing here throws for a bad scenario file.
 */
import { readTextFile } from '../fileText.ts';
import { pointerPath, yamlLocator } from '../yamlSource.ts';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { globSync } from 'tinyglobby';
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { normalizeRegistry, loadRegistry, type Registry, type RegistryResult } from '../nodo/registry.ts';
import { loadPositionsFile, normalizeInjection, normalizePositions, type LoadResult } from '../station/index.ts';
import { emptyConfig, type Injection, type StationsConfig } from '../station/model.ts';
import { OPERATIONS } from '../soap/operations.ts';
import { SCENARIOS_DIR } from '../paths.ts';
import { issue, type Issue } from '../xml/issue.ts';
import baseSchema from './schema.json' with { type: 'json' };
import { applyRegistryPatch, type RegistryPatch } from './registryPatch.ts';
import { captureRefs } from './template.ts';
import type { PspCredentials, PspExpect, RoleNeed, Scenario, Setup, StationSpec, Step } from './model.ts';
import type { NoticeRole } from '../profile/index.ts';
import { stepKinds, type StepKind } from './step.ts';
import { stationRule } from './rules.ts';
import { fileAt } from '../location.ts';

export const DEFAULT_REGISTRY = 'fixtures/registry.default.yaml';
export const DEFAULT_POSITIONS = 'fixtures/positions.default.yaml';
export const DEFAULT_CLOCK = '2026-01-15T10:00:00.000Z';

export interface LoadedFile {
  file: string;
  scenarios: Scenario[];
}

export interface LoadOutcome {
  files: LoadedFile[];
  /** Errors (the run must not start) and warnings. */
  issues: Issue[];
}

type Raw = Record<string, unknown>;
type Path = (string | number)[];

// ---------- discovery ----------

const isYaml = (f: string) => /\.ya?ml$/i.test(f);

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'fixtures') out.push(...walk(p));
    } else if (isYaml(e.name)) out.push(p);
  }
  return out;
}

/** YAML files a glob names, relative to its fixed leading directories; fixtures/ and hidden files left out, like a directory. */
function expandGlob(input: string, cwd: string): string[] {
  const norm = input.split(sep).join('/');
  const parts = norm.split('/');
  const fixed = parts.findIndex((s) => /[*?[{]/.test(s));
  const root = resolve(cwd, parts.slice(0, fixed).join('/') || (norm.startsWith('/') ? '/' : '.'));
  if (!existsSync(root)) return [];
  return globSync(parts.slice(fixed).join('/'), { cwd: root, absolute: true, onlyFiles: true, dot: false, ignore: ['**/fixtures/**', '**/node_modules/**'] })
    .filter(isYaml)
    .map((f) => resolve(f));
}

/** Expands files, directories (recursively, skipping fixtures/) and globs into sorted YAML files. */
export function discover(inputs: string[], cwd = process.cwd()): { files: string[]; issues: Issue[] } {
  const files = new Set<string>();
  const issues: Issue[] = [];
  for (const input of inputs) {
    if (/[*?]/.test(input)) {
      const found = expandGlob(input, cwd);
      if (found.length === 0) issues.push(issue('SCENARIO_NOT_FOUND', `Failed to find scenarios: no YAML file matches '${input}'. Check the pattern (quote it so the shell does not expand it).`, { source: input }));
      for (const f of found) files.add(f);
      continue;
    }
    const p = resolve(cwd, input);
    if (!existsSync(p)) {
      issues.push(issue('SCENARIO_NOT_FOUND', `Failed to find scenarios: '${input}' does not exist. Pass scenario files, directories or globs.`, { source: input }));
    } else if (statSync(p).isDirectory()) {
      for (const f of walk(p)) files.add(f);
    } else files.add(p);
  }
  return { files: [...files].sort(), issues };
}

// ---------- schema ----------

let compiled: { validate: ValidateFunction; kinds: Map<string, StepKind> } | undefined;

async function compileSchema(): Promise<{ validate: ValidateFunction; kinds: Map<string, StepKind> }> {
  if (compiled) return compiled;
  const kinds = await stepKinds();
  const schema = structuredClone(baseSchema) as unknown as { $defs: { step: { properties: Record<string, unknown> } } };
  for (const k of kinds.values()) {
    if (k.schema) schema.$defs.step.properties[k.kind] = k.schema;
    else if (!(k.kind in schema.$defs.step.properties)) schema.$defs.step.properties[k.kind] = {};
  }
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  compiled = { validate: ajv.compile(schema), kinds };
  return compiled;
}

/** The scenario JSON schema with every registered step kind (for editors: yaml-language-server). */
export async function scenarioJsonSchema(): Promise<object> {
  const kinds = await stepKinds();
  const schema = structuredClone(baseSchema) as unknown as { $defs: { step: { properties: Record<string, unknown> } } };
  for (const k of kinds.values()) if (k.schema) schema.$defs.step.properties[k.kind] = k.schema;
  return schema;
}

const CORE_KEYS = new Set(['name', 'title', 'expect']);


const pathText = (p: Path) => p.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('').replace(/^\./, '') || '(top level)';

function schemaIssues(errors: ErrorObject[], at: (p: Path) => { line: number; col: number }, atKey: (p: Path) => { line: number; col: number }, file: string): Issue[] {
  const relevant = errors.filter((e) => e.keyword !== 'if');
  const precise = relevant.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf');
  // Per path keep the errors of the deepest level only, so anyOf branches do not drown the real message.
  const kept = precise.filter((e) => !precise.some((o) => o !== e && o.instancePath.startsWith(`${e.instancePath}/`) && e.keyword === 'type'));
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of kept.length ? kept : relevant) {
    const key = e.instancePath + (e.keyword === 'additionalProperties' ? `/${String((e.params as { additionalProperty: string }).additionalProperty)}` : '');
    byPath.set(key, [...(byPath.get(key) ?? []), e]);
  }
  const out: Issue[] = [];
  for (const [key, errs] of byPath) {
    const path = pointerPath(key);
    const where = pathText(path);
    const first = errs[0]!;
    let why: string;
    let fix: string;
    if (first.keyword === 'additionalProperties') {
      why = `unknown key '${String(path[path.length - 1])}'`;
      fix = 'Check the spelling against scenarios/README.md (step kinds, setup keys, expect keys)';
    } else if (first.keyword === 'required') {
      why = `missing '${(first.params as { missingProperty: string }).missingProperty}'`;
      fix = 'Add it';
    } else if (first.keyword === 'enum' || errs.some((e) => e.keyword === 'enum')) {
      const e = errs.find((x) => x.keyword === 'enum')!;
      why = `must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String).join(', ')}`;
      fix = 'Use one of these values';
    } else if (errs.every((e) => e.keyword === 'type' || e.keyword === 'const')) {
      const types = [...new Set(errs.map((e) => (e.keyword === 'type' ? String((e.params as { type: unknown }).type) : `the value ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`)))];
      why = `must be ${types.join(' or ')}`;
      fix = 'Fix the value';
    } else {
      why = [...new Set(errs.map((e) => e.message ?? 'is invalid'))].join('; ');
      fix = 'Fix the value (format: scenarios/README.md)';
    }
    const lc = first.keyword === 'additionalProperties' ? atKey(path) : at(path);
    out.push(issue('SCENARIO_SCHEMA', `Failed to load the scenario: ${where} ${why}. ${fix}.`, { path: where, line: lc.line, col: lc.col, source: file }));
  }
  return out;
}

// ---------- fixtures ----------

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

function relFile(f: string): string {
  const r = relative(process.cwd(), f);
  return r.startsWith('..') ? f : r;
}

function registryFile(path: string): RegistryResult {
  let r = registryCache.get(path);
  if (!r) {
    r = loadRegistry(path);
    if (!r.ok) r = { ok: false, issues: r.issues.map((i) => ({ ...i, source: relFile(path) })) };
    registryCache.set(path, r);
  }
  return r;
}

function positionsFile(path: string): LoadResult {
  let r = positionsCache.get(path);
  if (!r) {
    r = loadPositionsFile(path);
    if (!r.ok) r = { ok: false, issues: r.issues.map((i) => ({ ...i, source: relFile(path) })) };
    positionsCache.set(path, r);
  }
  return r;
}

function mergeConfig(into: StationsConfig, add: StationsConfig): void {
  into.stations.push(...add.stations);
  into.positions.push(...add.positions);
  into.injections.push(...add.injections);
  into.services.push(...add.services);
  if (add.sendTimeoutMs !== undefined) into.sendTimeoutMs = add.sendTimeoutMs;
}

// ---------- one document ----------

interface DocCtx {
  file: string;
  doc: Document;
  lc: LineCounter;
  issues: Issue[];
}

/** Where a path of the document is (`atKey`: an unknown or misspelt key at the key itself); the document's start when nothing is found. */
function locator(ctx: DocCtx, atKey = false) {
  const locate = yamlLocator(ctx.doc, ctx.lc, [], { atKey });
  return (path: Path): { line: number; col: number } => locate(path) ?? { line: 1, col: 1 };
}

function problem(ctx: DocCtx, path: Path, code: string, message: string): void {
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
      problem(ctx, [...path, 'registry'], 'SCENARIO_FIXTURE', `Failed to load the scenario: registry fixture '${ref}' not found (looked next to the file, in its parent folders and in scenarios/). Fix the reference.`);
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
      problem(ctx, at, 'SCENARIO_FIXTURE', `Failed to load the scenario: positions fixture '${ref}' not found (looked next to the file, in its parent folders and in scenarios/). Fix the reference.`);
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

function buildSetup(ctx: DocCtx, suiteSetup: Raw | undefined, own: Raw | undefined, ownPath: Path, suitePath: Path, id: string, absFile: string): Setup | undefined {
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

const MESSAGE_NAMES = new Set(OPERATIONS.flatMap((o) => [o.request, o.response]));

function buildSteps(ctx: DocCtx, raw: Raw[], path: Path, kinds: Map<string, StepKind>): Step[] {
  const steps: Step[] = [];
  raw.forEach((s, i) => {
    const at = [...path, i];
    const kindKeys = Object.keys(s).filter((k) => !CORE_KEYS.has(k));
    if (kindKeys.length !== 1) {
      const msg = kindKeys.length === 0 ? 'has no step kind' : `has ${kindKeys.length} step kinds (${kindKeys.join(', ')})`;
      problem(ctx, at, 'SCENARIO_STEP', `Failed to load the scenario: step ${i + 1} ${msg}. Write exactly one of ${[...kinds.keys()].join(', ')} per step (a list item each).`);
      return;
    }
    const kind = kindKeys[0]!;
    const lc = locator(ctx)(at);
    if (s['expect'] !== undefined && !kinds.get(kind)?.acceptsExpect) {
      problem(ctx, [...at, 'expect'], 'SCENARIO_STEP', `Failed to load the scenario: step ${i + 1} (${kind}) does not take expect:. Use expect: on PSP calls, and expectStation / expectDeliveries steps for the rest.`);
    }
    steps.push({
      index: i,
      kind,
      params: s[kind] ?? null,
      ...(typeof s['name'] === 'string' ? { name: s['name'] } : {}),
      ...(typeof s['title'] === 'string' ? { title: s['title'] } : {}),
      ...(s['expect'] ? { expect: s['expect'] as PspExpect } : {}),
      at: { file: ctx.file, line: lc.line, col: lc.col },
    });
  });
  return steps;
}

const BUILTIN_CAPTURES = new Set(['scenario', 'notice', 'psp']);

/** `station:` of the suite and of the scenario, merged (the scenario's roles and requirements win). */
function stationSpec(suite: unknown, own: unknown): StationSpec | undefined {
  if (suite === undefined && own === undefined) return undefined;
  const roles: Record<string, RoleNeed> = {};
  const requires = {};
  for (const part of [suite, own] as Array<{ roles?: Record<string, string | { role: string; pays?: boolean }>; requires?: object } | undefined>) {
    for (const [name, r] of Object.entries(part?.roles ?? {})) roles[name] = typeof r === 'string' ? { role: r as NoticeRole, pays: false } : { role: r.role as NoticeRole, pays: r.pays === true };
    Object.assign(requires, part?.requires ?? {});
  }
  return { roles, requires };
}

function semanticChecks(ctx: DocCtx, sc: Scenario, scPath: Path, kinds: Map<string, StepKind>): void {
  const names = new Map<string, number>();
  const stations = new Set(sc.setup.registry.stations.map((s) => s.stationCode));
  // Stations a registryPatch step adds during the run are known to the checks too.
  for (const step of sc.steps) {
    if (step.kind !== 'registryPatch') continue;
    for (const it of ((step.params as { stations?: Raw[] } | null)?.stations ?? [])) if (it['stationCode'] !== undefined && !it['remove']) stations.add(String(it['stationCode']));
  }
  for (const step of sc.steps) {
    const at: Path = [...scPath, 'steps', step.index];
    for (const ref of captureRefs([step.params, step.expect ?? null])) {
      const root = ref.split('.')[0]!;
      if (!names.has(root) && !BUILTIN_CAPTURES.has(root) && !(sc.station && (root === 'station' || root in sc.station.roles))) {
        const known = [...names.keys()];
        problem(ctx, [...at, step.kind], 'SCENARIO_CAPTURE', `Failed to load the scenario: \${${ref}} refers to '${root}', which no earlier step captures. ${known.length ? `Use one of ${known.join(', ')}` : `Add name: ${root} to an earlier step`}.`);
      }
    }
    if (step.expect?.rule !== undefined && !stationRule(step.expect.rule)) problem(ctx, [...at, 'expect', 'rule'], 'SCENARIO_RULE', `Failed to load the scenario: '${step.expect.rule}' is not a station rule. Use an id of src/scenario/rules.ts (e.g. ACTIVATE-VIA-NODO).`);
    for (const msg of step.expect?.invalid ?? []) {
      if (!MESSAGE_NAMES.has(msg)) problem(ctx, [...at, 'expect', 'invalid'], 'SCENARIO_MESSAGE', `Failed to load the scenario: '${msg}' is not a pagoPA message name. Use a request/response element name such as paGetPaymentV2Response.`);
    }
    if (typeof step.expect?.stationCalls === 'object') {
      for (const st of Object.keys(step.expect.stationCalls)) if (!stations.has(st)) problem(ctx, [...at, 'expect', 'stationCalls', st], 'SCENARIO_STATION', `Failed to load the scenario: station '${st}' is not in the registry. Use one of ${[...stations].join(', ')}.`);
    }
    const kind = kinds.get(step.kind);
    if (kind?.check) {
      ctx.issues.push(
        ...kind.check(step.params, {
          scenario: sc,
          step,
          stations,
          issueAt: (p, code, message) => {
            const lc = locator(ctx)([...at, step.kind, ...p]);
            return issue(code, message, { path: pathText([...at, step.kind, ...p]), line: lc.line, col: lc.col, source: ctx.file });
          },
        }),
      );
    }
    if (step.name) {
      if (names.has(step.name)) problem(ctx, [...at, 'name'], 'SCENARIO_CAPTURE', `Failed to load the scenario: step name '${step.name}' is used twice. Give each named step its own name.`);
      names.set(step.name, step.index);
    }
  }
}

function loadDocument(ctx: DocCtx, data: Raw, absFile: string, kinds: Map<string, StepKind>): Scenario[] {
  const isSuite = Array.isArray(data['scenarios']);
  const items: { raw: Raw; path: Path }[] = isSuite ? (data['scenarios'] as Raw[]).map((raw, i) => ({ raw, path: ['scenarios', i] })) : [{ raw: data, path: [] }];
  const out: Scenario[] = [];
  for (const { raw, path } of items) {
    const id = String(raw['id']);
    const before = ctx.issues.length;
    const setup = buildSetup(ctx, isSuite ? (data['setup'] as Raw | undefined) : undefined, raw['setup'] as Raw | undefined, [...path, 'setup'], ['setup'], id, absFile);
    const steps = buildSteps(ctx, raw['steps'] as Raw[], [...path, 'steps'], kinds);
    if (!setup) continue;
    const lc = locator(ctx)(path);
    const tags = [...new Set([...((isSuite ? (data['tags'] as string[] | undefined) : undefined) ?? []), ...((raw['tags'] as string[] | undefined) ?? [])])];
    const testCase = (raw['testCase'] as string | undefined) ?? (isSuite ? (data['testCase'] as string | undefined) : undefined);
    const station = stationSpec(isSuite ? data['station'] : undefined, raw['station']);
    const sc: Scenario = {
      id,
      title: String(raw['title']),
      ...(raw['description'] ? { description: String(raw['description']) } : {}),
      tags,
      ...(testCase ? { testCase } : {}),
      ...(raw['skip'] ? { skip: String(raw['skip']) } : {}),
      setup,
      steps,
      at: { file: ctx.file, line: lc.line, col: lc.col },
      ...(station ? { station } : {}),
    };
    semanticChecks(ctx, sc, path, kinds);
    if (ctx.issues.length === before) out.push(sc);
  }
  return out;
}

/** Loads one scenario file (all its YAML documents). */
export async function loadScenarioFile(absFile: string): Promise<{ file: LoadedFile; issues: Issue[] }> {
  const { validate, kinds } = await compileSchema();
  const file = relFile(absFile);
  const issues: Issue[] = [];
  const read = readTextFile(absFile, { what: 'the scenario file', code: 'SCENARIO_IO', fix: 'Check the path and its permissions.', source: file });
  if (!read.ok) return { file: { file, scenarios: [] }, issues: read.issues };
  const text = read.text;
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  if (!Array.isArray(docs)) {
    const p = lc.linePos((docs as { offset: number }).offset ?? 0);
    issues.push(issue('SCENARIO_YAML', 'Failed to read the scenario file: unexpected end of YAML stream. Fix the YAML syntax.', { line: p.line, col: p.col, source: file }));
  }
  const scenarios: Scenario[] = [];
  for (const doc of list) {
    const ctx: DocCtx = { file, doc, lc, issues };
    if (doc.errors.length) {
      for (const e of doc.errors) {
        const p = lc.linePos(e.pos[0]);
        issues.push(issue('SCENARIO_YAML', `Failed to read the scenario file: ${e.message.split('\n')[0]}. Fix the YAML syntax.`, { line: p.line, col: p.col, source: file }));
      }
      continue;
    }
    const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (data === null || data === undefined) continue;
    if (!validate(data)) {
      issues.push(...schemaIssues(validate.errors ?? [], locator(ctx), locator(ctx, true), file));
      continue;
    }
    scenarios.push(...loadDocument(ctx, data as Raw, absFile, kinds));
  }
  if (list.length > 0 && scenarios.length === 0 && issues.length === 0) {
    issues.push(issue('SCENARIO_EMPTY', 'Failed to load the scenario file: it contains no scenario. Write a mapping with id, title and steps (see scenarios/README.md).', { line: 1, col: 1, source: file }));
  }
  return { file: { file, scenarios }, issues };
}

/** Loads every file; checks that scenario ids are unique across the whole set. */
export async function loadScenarios(inputs: string[], cwd = process.cwd()): Promise<LoadOutcome> {
  const found = discover(inputs, cwd);
  const issues = [...found.issues];
  const files: LoadedFile[] = [];
  for (const f of found.files) {
    const r = await loadScenarioFile(f);
    issues.push(...r.issues);
    files.push(r.file);
  }
  const seen = new Map<string, Scenario>();
  for (const f of files) {
    for (const s of f.scenarios) {
      const first = seen.get(s.id);
      if (first) issues.push(issue('SCENARIO_DUPLICATE_ID', `Failed to load the scenarios: id '${s.id}' is also used at ${first.at.file}:${first.at.line}. Give each scenario its own id.`, { line: s.at.line, col: s.at.col, source: s.at.file }));
      else seen.set(s.id, s);
    }
  }
  return { files, issues };
}

/** `file:line:col message`, the form the CLI prints. */
export function formatLoadIssue(i: Issue): string {
  return `${fileAt(i.source ?? '<scenario>', i.line, i.col)} ${i.message}`;
}
