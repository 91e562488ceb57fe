/**
 * The step registry. A step kind is one key of a step in YAML (`verifyPaymentNotice:`,
 * `advance:`, ...). Each file in src/scenario/steps/ exports `default` one StepKind or
 * an array of them; the registry discovers the folder, so another part (SEND/GPD) adds
 * step kinds by adding a file. A kind brings its parameter schema (merged into
 * schema.json's $defs/step at load time), optional static checks, and `run`.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MODULE_EXT } from '../paths.ts';
import type { ManualClock } from '../clock.ts';
import type { Journal } from '../soap/index.ts';
import type { Issue } from '../xml/index.ts';
import type { Check } from './expect.ts';
import type { NewFinding } from './findings.ts';
import type { Scenario, SourceAt, Step } from './model.ts';
import type { StationCase } from './stationCase.ts';
import type { World } from '../world.ts';

/** What a kind's static check can see. */
export interface LoadContext {
  scenario: Scenario;
  step: Step;
  /** Station codes of the scenario's registry. */
  stations: ReadonlySet<string>;
  /** Issue at the step (or at a path under the step's parameters). */
  issueAt(path: (string | number)[], code: string, message: string): Issue;
}

export interface StepContext {
  world: World;
  clock: ManualClock;
  journal: Journal;
  scenario: Scenario;
  step: Step;
  /** Captured responses of named steps (`name:`), read by `${name.path}`. */
  captures: ReadonlyMap<string, unknown>;
  /** Journal sequence number when each named step started (for `since:`). */
  stepStartSeq: ReadonlyMap<string, number>;
  /** Journal sequence number when this step started. */
  startSeq: number;
  /** Substitutes `${name.path}` in every string of `v`. */
  resolve<T>(v: T): T;
  /** Deterministic id generator of the scenario (seeded). */
  nextId(prefix?: string): string;
  /** Stations addressed at a user URL (idStation → url). */
  targets: Readonly<Record<string, string>>;
  signal: AbortSignal;
  /** Station-suite cases: the profile, the station under test, the notices bound to the roles. */
  station?: StationCase;
}

export type StepResult =
  /**
   * The step ran; `value` is what `${name...}` reads; checks decide pass/fail. `halt`: the later steps
   * would judge on a false premise (e.g. the notice is not in the state its role says), so they are not run.
   */
  | { kind: 'done'; value?: unknown; checks: Check[]; findings?: NewFinding[]; halt?: string }
  /** Harness or transport trouble: the case is errored (JUnit <error>). */
  | { kind: 'error'; message: string; checks?: Check[]; findings?: NewFinding[] };

export interface StepKind {
  kind: string;
  /** One line for `list --steps` and the README. */
  describe: string;
  /** JSON schema (2020-12) of the parameters; may `$ref` into `urn:pagopa-station-harness:scenario#/$defs/...`. Absent when schema.json already defines the kind. */
  schema?: object;
  /** Whether `expect:` is meaningful on this kind (PSP calls). */
  acceptsExpect?: boolean;
  /** Static checks beyond the schema. */
  check?(params: unknown, ctx: LoadContext): Issue[];
  /** Whether the step takes its notice number from `setup.notice` (it names none): a setup.notice no step takes is a load error. */
  readsSetupNotice?(params: unknown): boolean;
  /** Whether the step sends a deliberately schema-invalid request (its request is then not a schema failure). */
  sendsInvalidRequest?(params: unknown): boolean;
  /** Label for reports, e.g. `activatePaymentNoticeV2 301000000000001255`. */
  label?(params: unknown): string;
  run(params: unknown, ctx: StepContext): Promise<StepResult>;
}

const STEPS_DIR = join(fileURLToPath(new URL('.', import.meta.url)), 'steps');
let cache: Promise<Map<string, StepKind>> | undefined;

/** All registered step kinds, discovered once from src/scenario/steps/*.ts. */
export function stepKinds(): Promise<Map<string, StepKind>> {
  cache ??= (async () => {
    const map = new Map<string, StepKind>();
    const files = readdirSync(STEPS_DIR)
      .filter((f) => f.endsWith(MODULE_EXT) && !f.endsWith('.d.ts'))
      .sort();
    for (const f of files) {
      const mod = (await import(pathToFileURL(join(STEPS_DIR, f)).href)) as { default?: StepKind | StepKind[] };
      const kinds = mod.default === undefined ? [] : Array.isArray(mod.default) ? mod.default : [mod.default];
      for (const k of kinds) {
        if (map.has(k.kind)) throw new Error(`step kind '${k.kind}' is defined twice (second in steps/${f})`);
        map.set(k.kind, k);
      }
    }
    return map;
  })();
  return cache;
}

export type { SourceAt };
