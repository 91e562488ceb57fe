/**
 * The station suite against ONE long-lived reference station process, as a user runs it:
 * `station-harness station --registry ... --positions ... --send-url ...` then `check --profile
 * scenarios/fixtures/station.reference.yaml --url <its URL> --send-port ...`, N times in a row, the station's
 * data reloaded between runs (POST /_control/stations/reset, what the run's "notices paid"
 * list asks a user to do). Every run must pass every check (issue 12, "done when": 20 runs,
 * 0 failures). Wall time per run is printed as a ratio to the same suite run against an
 * in-process reference station (a fresh one per scenario), measured in the same invocation.
 *
 * Usage: tsx bench/stationSuite.ts [--runs 20]      (npm run bench:station-suite)
 * Exit code 1 when any run had a failed or errored scenario. A skipped one is counted apart, with its
 * reason (station-aca-conferred needs aca.url: an ACA the station's back office confers to).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SCENARIOS_DIR } from '../src/paths.ts';
import { loadProfile } from '../src/profile/index.ts';
import { RunEmitter } from '../src/scenario/events.ts';
import { loadScenarios } from '../src/scenario/load.ts';
import type { Scenario } from '../src/scenario/model.ts';
import { runScenarios, type RunOptions } from '../src/scenario/run.ts';
import { planStationRun } from '../src/scenario/stationPlan.ts';
import { startSendGateway } from '../src/scenario/sendGateway.ts';
import { startStationProcess } from './stationProcess.ts';

const STATION = '77777777777_01';

interface Outcome {
  passed: number;
  skipped: string[];
  bad: string[];
  ms: number;
}

async function once(scenarios: Scenario[], opts: RunOptions): Promise<Outcome> {
  const emitter = new RunEmitter();
  const bad: string[] = [];
  const skipped: string[] = [];
  const first = new Map<string, string>();
  emitter.on('check', (e) => {
    if (!e.check.passed && !first.has(e.caseId))
      first.set(e.caseId, `${e.check.name}: expected ${e.check.mismatch?.expected}, actual ${e.check.mismatch?.actual}`);
  });
  emitter.on('case:end', (e) => {
    if (e.state === 'failed' || e.state === 'errored') bad.push(`${e.id} ${e.state}: ${e.reason ?? first.get(e.id) ?? ''}`);
    if (e.state === 'skipped') skipped.push(`${e.id}: ${e.reason ?? ''}`);
  });
  const t0 = performance.now();
  const s = await runScenarios(scenarios, emitter, opts);
  return { passed: s.counts.passed, skipped, bad, ms: performance.now() - t0 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${values.runs}`);
  const loaded = await loadScenarios([join(SCENARIOS_DIR, 'station')]);
  const suite = loaded.files.flatMap((f) => f.scenarios);
  const p = loadProfile(join(SCENARIOS_DIR, 'fixtures', 'station.reference.yaml'));
  if (!p.ok) throw new Error(p.issues.map((i) => i.message).join('\n'));

  // Reference: the same suite against in-process reference stations (one fresh world per scenario),
  // after a warm-up run (schema compilation and module loading are not part of the figure).
  await once(suite, { jobs: 1 });
  const ref = await once(suite, { jobs: 1 });
  console.log(
    `reference (in-process reference station, ${suite.length} scenarios): ${Math.round(ref.ms)} ms, ${ref.passed} passed${ref.bad.length ? `, ${ref.bad.length} not passed` : ''}`,
  );

  // The station as a user serves it: both fixtures, its SYNC notice asking the price at the SEND address
  // the run routes to the running scenario (check --send-port).
  const gateway = await startSendGateway({ port: 0 });
  const station = await startStationProcess({
    positions: [join(SCENARIOS_DIR, 'fixtures', 'positions.default.yaml'), join(SCENARIOS_DIR, 'fixtures', 'positions.send.yaml')],
    sendUrl: gateway.url,
  });
  const times: number[] = [];
  const skips = new Set<string>();
  let failedRuns = 0;
  try {
    const url = station.urls[STATION];
    if (!url) throw new Error(`station ${STATION} not in the station process output`);
    for (let i = 1; i <= runs; i++) {
      await station.reset();
      const plan = planStationRun(p.profile, suite, { mode: 'target', url });
      const r = await once(suite, { station: plan, jobs: 1, seed: `bench-${Date.now()}-${i}`, sendGateway: gateway });
      times.push(r.ms);
      if (r.bad.length) failedRuns++;
      for (const x of r.skipped) skips.add(x);
      console.log(
        `run ${String(i).padStart(2)}: ${r.passed}/${suite.length} passed, ${r.skipped.length} skipped, ${r.bad.length} failed or errored, ${Math.round(r.ms)} ms (x${(r.ms / ref.ms).toFixed(2)} the reference)${r.bad.length ? `\n  ${r.bad.join('\n  ')}` : ''}`,
      );
    }
  } finally {
    await station.stop();
    await gateway.close();
  }
  if (skips.size) console.log(`skipped (with the reason the run gives):\n  ${[...skips].join('\n  ')}`);
  console.log(
    `\n${runs} run(s) against one long-lived station process: ${runs - failedRuns} with every check passed, ${failedRuns} with a failure; median ${Math.round(median(times))} ms per run (x${(median(times) / ref.ms).toFixed(2)} the in-process reference, ${Math.round(ref.ms)} ms)`,
  );
  return failedRuns || ref.bad.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`Failed to run the benchmark: ${(e as Error).message}`);
    process.exit(3);
  },
);
