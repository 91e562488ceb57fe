/**
 * A scenario's steps built from the document, and the checks across them: step kinds known,
 * captures referring to earlier steps, names used once, station-suite roles.
 */
import { OPERATIONS } from '../soap/index.ts';
import { issue } from '../xml/index.ts';
import { captureRefs } from './template.ts';
import type { PspExpect, RoleNeed, Scenario, StationSpec, Step } from './model.ts';
import type { NoticeRole } from '../profile/index.ts';
import type { StepKind } from './step.ts';
import { stationRule } from './rules.ts';
import type { Path, Raw } from './setup.ts';
import { CORE_KEYS, pathText } from './scenarioSchema.ts';
import { locator, problem, type DocCtx } from './setup.ts';

const MESSAGE_NAMES = new Set(OPERATIONS.flatMap((o) => [o.request, o.response]));

export function buildSteps(ctx: DocCtx, raw: Raw[], path: Path, kinds: Map<string, StepKind>): Step[] {
  const steps: Step[] = [];
  raw.forEach((s, i) => {
    const at = [...path, i];
    const kindKeys = Object.keys(s).filter((k) => !CORE_KEYS.has(k));
    if (kindKeys.length !== 1) {
      const msg = kindKeys.length === 0 ? 'has no step kind' : `has ${kindKeys.length} step kinds (${kindKeys.join(', ')})`;
      problem(
        ctx,
        at,
        'SCENARIO_STEP',
        `Failed to load the scenario: step ${i + 1} ${msg}. Write exactly one of ${[...kinds.keys()].join(', ')} per step (a list item each).`,
      );
      return;
    }
    const kind = kindKeys[0]!;
    const lc = locator(ctx)(at);
    if (s['expect'] !== undefined && !kinds.get(kind)?.acceptsExpect) {
      problem(
        ctx,
        [...at, 'expect'],
        'SCENARIO_STEP',
        `Failed to load the scenario: step ${i + 1} (${kind}) does not take expect:. Use expect: on PSP calls, and expectStation / expectDeliveries steps for the rest.`,
      );
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
export function stationSpec(suite: unknown, own: unknown): StationSpec | undefined {
  if (suite === undefined && own === undefined) return undefined;
  const roles: Record<string, RoleNeed> = {};
  const requires = {};
  for (const part of [suite, own] as Array<{ roles?: Record<string, string | { role: string; pays?: boolean }>; requires?: object } | undefined>) {
    for (const [name, r] of Object.entries(part?.roles ?? {}))
      roles[name] = typeof r === 'string' ? { role: r as NoticeRole, pays: false } : { role: r.role as NoticeRole, pays: r.pays === true };
    Object.assign(requires, part?.requires ?? {});
  }
  return { roles, requires };
}

export function semanticChecks(ctx: DocCtx, sc: Scenario, scPath: Path, kinds: Map<string, StepKind>): void {
  const names = new Map<string, number>();
  const stations = new Set(sc.setup.registry.stations.map((s) => s.stationCode));
  // Stations a registryPatch step adds during the run are known to the checks too.
  for (const step of sc.steps) {
    if (step.kind !== 'registryPatch') continue;
    for (const it of (step.params as { stations?: Raw[] } | null)?.stations ?? [])
      if (it['stationCode'] !== undefined && !it['remove']) stations.add(String(it['stationCode']));
  }
  for (const step of sc.steps) {
    const at: Path = [...scPath, 'steps', step.index];
    for (const ref of captureRefs([step.params, step.expect ?? null])) {
      const root = ref.split('.')[0]!;
      if (!names.has(root) && !BUILTIN_CAPTURES.has(root) && !(sc.station && (root === 'station' || root in sc.station.roles))) {
        const known = [...names.keys()];
        problem(
          ctx,
          [...at, step.kind],
          'SCENARIO_CAPTURE',
          `Failed to load the scenario: \${${ref}} refers to '${root}', which no earlier step captures. ${known.length ? `Use one of ${known.join(', ')}` : `Add name: ${root} to an earlier step`}.`,
        );
      }
    }
    if (step.expect?.rule !== undefined && !stationRule(step.expect.rule))
      problem(
        ctx,
        [...at, 'expect', 'rule'],
        'SCENARIO_RULE',
        `Failed to load the scenario: '${step.expect.rule}' is not a station rule. Use an id of src/scenario/rules.ts (e.g. ACTIVATE-VIA-NODO).`,
      );
    for (const msg of step.expect?.invalid ?? []) {
      if (!MESSAGE_NAMES.has(msg))
        problem(
          ctx,
          [...at, 'expect', 'invalid'],
          'SCENARIO_MESSAGE',
          `Failed to load the scenario: '${msg}' is not a pagoPA message name. Use a request/response element name such as paGetPaymentV2Response.`,
        );
    }
    if (typeof step.expect?.stationCalls === 'object') {
      for (const st of Object.keys(step.expect.stationCalls))
        if (!stations.has(st))
          problem(
            ctx,
            [...at, 'expect', 'stationCalls', st],
            'SCENARIO_STATION',
            `Failed to load the scenario: station '${st}' is not in the registry. Use one of ${[...stations].join(', ')}.`,
          );
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
      if (names.has(step.name))
        problem(
          ctx,
          [...at, 'name'],
          'SCENARIO_CAPTURE',
          `Failed to load the scenario: step name '${step.name}' is used twice. Give each named step its own name.`,
        );
      names.set(step.name, step.index);
    }
  }
}
