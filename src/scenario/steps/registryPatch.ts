/**
 * Step `registryPatch:` — changes the mock Nodo's registry in the middle of a scenario, in
 * the format of `setup.registryPatch`, applied to the registry as it is at that step (the
 * setup's, plus the earlier registryPatch steps). This is how a scenario tests what
 * pagoPA's configuration at *delivery* time decides versus what was fixed at *payment*
 * time (docs/primitives.md §10.1, §17.20-23): a station switched to another primitiveVersion,
 * an EC moved to another station, a broadcast association added or removed.
 * The reference stations' identities (their ECs) follow the new registry (world.ts).
 * The patch is checked at load time with the registry rules, located at the step.
 */
import { normalizeRegistry, type Registry } from '../../nodo/index.ts';
import type { Issue } from '../../xml/index.ts';
import { applyRegistryPatch, type RegistryPatch } from '../registryPatch.ts';
import type { Step } from '../model.ts';
import type { StepKind } from '../step.ts';

const failWord = (m: string) => m.replace('Failed to load the registry', 'Failed to apply the registryPatch step');

/** The patch's items in short: `stations 77777777777_01 primitiveVersion=2; associations ... remove`. */
function label(p: unknown): string {
  const parts: string[] = [];
  const { settings, ...sections } = (p ?? {}) as RegistryPatch;
  if (settings)
    parts.push(
      `settings ${Object.entries(settings)
        .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
        .join(' ')}`,
    );
  for (const [section, items] of Object.entries(sections)) {
    for (const it of (items ?? []) as Record<string, unknown>[]) {
      const keys = ['fiscalCode', 'stationCode', 'auxDigit', 'brokerCode', 'pspCode', 'brokerPspCode', 'channelCode'].filter((k) => it[k] !== undefined);
      const id = keys.map((k) => String(it[k])).join('/');
      const rest = it['remove']
        ? 'remove'
        : Object.entries(it)
            .filter(([k]) => !keys.includes(k))
            .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
            .join(' ');
      parts.push(`${section} ${id}${rest ? ` ${rest}` : ''}`);
    }
  }
  return `registryPatch ${parts.join('; ') || '(empty)'}`;
}

/** The registry before `step`: the setup's with every earlier registryPatch step applied (undefined if one is invalid). */
function registryBefore(base: Registry, steps: readonly Step[], step: Step): Registry | undefined {
  let reg: Registry | undefined = base;
  for (const s of steps) {
    if (s === step || s.index >= step.index) break;
    if (s.kind !== 'registryPatch' || !reg) continue;
    const r = normalizeRegistry(applyRegistryPatch(reg, s.params as RegistryPatch).data);
    reg = r.ok ? r.registry : undefined;
  }
  return reg;
}

const kind: StepKind = {
  kind: 'registryPatch',
  describe: "Changes the mock Nodo's registry from now on (format of setup.registryPatch); reference stations follow",
  label,
  check(p, ctx) {
    const base = registryBefore(ctx.scenario.setup.registry, ctx.scenario.steps, ctx.step);
    if (!base) return []; // an earlier registryPatch step is already reported
    const patched = applyRegistryPatch(base, (p ?? {}) as RegistryPatch);
    const r = normalizeRegistry(patched.data);
    if (r.ok) return [];
    return r.issues.map((i): Issue => {
      const path = i.path
        .split(/\.|\[|\]/)
        .filter(Boolean)
        .map((x) => (/^\d+$/.test(x) ? Number(x) : x));
      const origin = typeof path[1] === 'number' ? patched.origin(String(path[0]), path[1]) : undefined;
      const at = origin !== undefined ? [String(path[0]), origin, ...path.slice(2)] : [];
      return ctx.issueAt(at, i.code, failWord(i.message));
    });
  },
  async run(p, ctx) {
    const patch = ctx.resolve((p ?? {}) as RegistryPatch);
    const r = normalizeRegistry(applyRegistryPatch(ctx.world.nodo.registry(), patch).data, { file: `registryPatch step ${ctx.step.index + 1}` });
    if (!r.ok)
      return {
        kind: 'error',
        message: `${failWord(r.issues[0]!.message)} (${r.issues.length} problem(s)). Fix the step's patch (format: scenarios/README.md, Setup).`,
      };
    ctx.world.nodo.setRegistry(r.registry);
    return { kind: 'done', value: { stations: r.registry.stations.map((s) => s.stationCode) }, checks: [] };
  },
};
export default kind;
