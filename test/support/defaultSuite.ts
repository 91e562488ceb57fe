/**
 * The default suite (`npm start`: every scenario under scenarios/, 4 at a time, against the
 * reference stations) run once per test process and shared: the suite test asserts it passes,
 * the report tests render its reports. Running it once keeps `npm test` lean.
 */
import { createRecorder, type RunResult } from '../../src/report/index.ts';
import { SCENARIOS_DIR } from '../../src/paths.ts';
import { RunEmitter, type CaseEnd } from '../../src/scenario/events.ts';
import { loadScenarios } from '../../src/scenario/load.ts';
import type { Scenario } from '../../src/scenario/model.ts';
import { runScenarios, type RunSummary } from '../../src/scenario/run.ts';

export interface DefaultSuiteRun {
  scenarios: Scenario[];
  /** Load issues (errors and warnings), as `file:line:col message`. */
  loadErrors: string[];
  ends: CaseEnd[];
  summary: RunSummary;
  result: RunResult;
}

let memo: Promise<DefaultSuiteRun> | undefined;

export function defaultSuiteRun(): Promise<DefaultSuiteRun> {
  memo ??= (async () => {
    const r = await loadScenarios([SCENARIOS_DIR]);
    const loadErrors = r.issues.filter((i) => i.severity === 'error').map((i) => `${i.source}:${i.line}:${i.col} ${i.message}`);
    const scenarios = r.files.flatMap((f) => f.scenarios);
    const emitter = new RunEmitter();
    const recorder = createRecorder(emitter);
    const ends: CaseEnd[] = [];
    emitter.on('case:end', (e) => ends.push(e));
    const summary = await runScenarios(scenarios, emitter, { jobs: 4 });
    return { scenarios, loadErrors, ends, summary, result: recorder.result() };
  })();
  return memo;
}
