/**
 * Steps `inject:` (fault injections on reference stations from now on) and
 * `clearInjections:` (one station's, or all). Against a user's station (--station)
 * scenarios using them on that station are skipped before they start (run.ts).
 */
import { normalizeInjection } from '../../station/index.ts';
import type { StepKind } from '../step.ts';

const list = (p: unknown): unknown[] => (Array.isArray(p) ? p : [p]);

const inject: StepKind = {
  kind: 'inject',
  describe: 'Adds fault injections on reference stations (format: src/station/README.md)',
  label: (p) =>
    `inject ${list(p)
      .map((i) =>
        [(i as { station?: string }).station, (i as { operation?: string }).operation, JSON.stringify((i as { action?: unknown }).action ?? '')]
          .filter(Boolean)
          .join(' '),
      )
      .join('; ')}`,
  check(p, ctx) {
    return list(p).flatMap((raw, i) => {
      const r = normalizeInjection(raw, { source: ctx.scenario.at.file });
      const at = Array.isArray(p) ? [i] : [];
      if (!r.ok)
        return r.issues.map((x) =>
          ctx.issueAt(at, 'SCENARIO_INJECTION', `Failed to load the scenario: injection ${x.message}. Fix it (format: src/station/README.md).`),
        );
      const st = r.injection.station;
      if (st && !ctx.stations.has(st))
        return [
          ctx.issueAt(
            [...at, 'station'],
            'SCENARIO_STATION',
            `Failed to load the scenario: station '${st}' is not in the registry. Use one of ${[...ctx.stations].join(', ')}.`,
          ),
        ];
      return [];
    });
  },
  async run(p, ctx) {
    const added: string[] = [];
    for (const raw of list(ctx.resolve(p))) {
      const r = normalizeInjection(raw);
      if (!r.ok) return { kind: 'error', message: `Failed to inject: ${r.issues.map((x) => x.message).join('; ')}. Fix the inject step.` };
      ctx.world.inject(r.injection);
      added.push(r.injection.id);
    }
    return { kind: 'done', value: { injections: added }, checks: [] };
  },
};

const clear: StepKind = {
  kind: 'clearInjections',
  describe: 'Removes the fault injections of one station (its id) or of all stations (true)',
  label: (p) => `clearInjections ${p === true ? 'all' : String(p)}`,
  check(p, ctx) {
    return typeof p === 'string' && !ctx.stations.has(p)
      ? [ctx.issueAt([], 'SCENARIO_STATION', `Failed to load the scenario: station '${p}' is not in the registry. Use one of ${[...ctx.stations].join(', ')}.`)]
      : [];
  },
  async run(p, ctx) {
    ctx.world.clearInjections(p === true ? undefined : String(p));
    return { kind: 'done', checks: [] };
  },
};

export default [inject, clear];
