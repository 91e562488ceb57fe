/**
 * Verdicts against ONE long-lived station process do not depend on timing (issue 12): the
 * README demo (`station-harness station ...` then `run --station 77777777777_01=<url>`) repeated
 * N times in a row, resetting the station's data between runs. Every run must give the same
 * verdicts with 0 failures. Wall time per run is printed as a ratio to the same scenarios run
 * against in-process reference stations, measured in the same invocation.
 *
 * Usage: tsx bench/longLivedStation.ts [--runs 20] [--grep regex] [scenario paths...]
 *        (default: every scenario under scenarios/)
 * Exit code 1 when any run had a failed or errored scenario.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { SCENARIOS_DIR } from '../src/paths.ts';
import { RunEmitter, type CaseEnd } from '../src/scenario/events.ts';
import type { Check } from '../src/scenario/expect.ts';
import { loadScenarios } from '../src/scenario/load.ts';
import type { Scenario } from '../src/scenario/model.ts';
import { runScenarios } from '../src/scenario/run.ts';
import { startStationProcess } from './stationProcess.ts';

export const TARGET_STATION = '77777777777_01';

export interface RunOutcome {
  passed: number;
  skipped: number;
  /** `id: first failed check` of every failed or errored scenario. */
  bad: string[];
  ms: number;
}

async function once(scenarios: Scenario[], targets: Record<string, string>): Promise<RunOutcome> {
  const emitter = new RunEmitter();
  const firstFail = new Map<string, Check>();
  const bad: string[] = [];
  emitter.on('check', (e) => {
    if (!e.check.passed && !firstFail.has(e.caseId)) firstFail.set(e.caseId, e.check);
  });
  emitter.on('case:end', (e: CaseEnd) => {
    if (e.state !== 'failed' && e.state !== 'errored') return;
    const c = firstFail.get(e.id);
    bad.push(`${e.id}: ${e.reason ?? (c ? `${c.name} (expected ${c.mismatch?.expected}, actual ${c.mismatch?.actual})` : e.state)}`);
  });
  const started = performance.now();
  const summary = await runScenarios(scenarios, emitter, { targets, jobs: 1 });
  return { passed: summary.counts.passed, skipped: summary.counts.skipped, bad, ms: performance.now() - started };
}

/** Runs `scenarios` `runs` times against one station process (reset between runs). */
export async function repeatAgainstLongLivedStation(scenarios: Scenario[], runs: number, onRun?: (i: number, r: RunOutcome) => void): Promise<RunOutcome[]> {
  const station = await startStationProcess();
  try {
    const url = station.urls[TARGET_STATION];
    if (!url) throw new Error(`Failed to find station ${TARGET_STATION} in the station process output.`);
    const out: RunOutcome[] = [];
    for (let i = 0; i < runs; i++) {
      await station.reset();
      const r = await once(scenarios, { [TARGET_STATION]: url });
      out.push(r);
      onRun?.(i + 1, r);
    }
    return out;
  } finally {
    await station.stop();
  }
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { runs: { type: 'string', default: '20' }, grep: { type: 'string' } } });
  const runs = Math.max(1, Number(values.runs) || 20);
  const loaded = await loadScenarios(positionals.length ? positionals : [SCENARIOS_DIR]);
  const errors = loaded.issues.filter((i) => i.severity === 'error');
  if (errors.length) {
    console.error(`Failed to load the scenarios: ${errors.length} problem(s), e.g. ${errors[0]!.source}:${errors[0]!.line} ${errors[0]!.message}`);
    return 2;
  }
  const re = values.grep ? new RegExp(values.grep, 'i') : undefined;
  const scenarios = loaded.files.flatMap((f) => f.scenarios).filter((s) => !re || re.test(s.id) || re.test(s.title));
  await once(scenarios, {}); // warm-up: step kinds, schemas, tsx compilation
  const reference = await once(scenarios, {});
  console.log(
    `${scenarios.length} scenario(s); reference (in-process stations, no --station): ${reference.passed} passed in ${(reference.ms / 1000).toFixed(2)} s`,
  );
  const results = await repeatAgainstLongLivedStation(scenarios, runs, (i, r) => {
    console.log(
      `run ${String(i).padStart(2)}: ${r.passed} passed, ${r.skipped} skipped, ${r.bad.length} failed, ${(r.ms / 1000).toFixed(2)} s (${(r.ms / reference.ms).toFixed(2)}x reference)`,
    );
    for (const b of r.bad) console.log(`    ✗ ${b}`);
  });
  const failedRuns = results.filter((r) => r.bad.length).length;
  const mean = results.reduce((n, r) => n + r.ms, 0) / results.length;
  console.log(
    `${runs} run(s) against one long-lived station process: ${failedRuns} with failures, ${results.reduce((n, r) => n + r.bad.length, 0)} failed scenario(s) in total; mean ${(mean / reference.ms).toFixed(2)}x the in-process reference`,
  );
  return failedRuns ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = await main();
