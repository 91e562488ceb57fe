/**
 * Builds the RunResult from run events (the only input of every report). Signals during a run
 * are handled by the CLI (src/cli/interrupt.ts).
 */
import { PACKAGE_NAME, packageVersion } from '../packageInfo.ts';
import type { Exchange } from '../soap/index.ts';
import type { CaseEnd, CaseInfo, RunEmitter } from '../scenario/index.ts';
import type { Check } from '../scenario/index.ts';
import type { Finding } from '../scenario/index.ts';
import { failuresInOrder, foldChecks } from './fold.ts';
import { REPORT_SCHEMA_VERSION, type CaseResult, type RunResult } from './model.ts';

export interface Recorder {
  /** The result so far (complete after run:end). */
  result(): RunResult;
}

export function createRecorder(emitter: RunEmitter): Recorder {
  const version = packageVersion();
  let run: RunResult = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: PACKAGE_NAME, version },
    runId: '',
    startedAt: new Date().toISOString(),
    durationMs: 0,
    interrupted: false,
    bailed: false,
    seed: '',
    targets: {},
    counts: { passed: 0, failed: 0, errored: 0, skipped: 0, total: 0, notRun: 0, findings: 0 },
    cases: [],
    notRun: [],
    notRunCases: [],
  };
  let t0 = performance.now();
  const infos = new Map<string, CaseInfo>();
  const order: string[] = [];
  const checks = new Map<string, Map<number, Check[]>>();
  const exchanges = new Map<string, Exchange[]>();
  const findings = new Map<string, Finding[]>();
  const ended = new Map<string, CaseResult>();

  emitter.on('run:start', (e) => {
    t0 = performance.now();
    run = { ...run, runId: e.runId, startedAt: e.startedAt, seed: e.seed, targets: e.targets };
    for (const c of e.cases) {
      infos.set(c.id, c);
      order.push(c.id);
    }
  });
  emitter.on('case:start', (e) => {
    checks.set(e.id, new Map());
    exchanges.set(e.id, []);
    findings.set(e.id, []);
  });
  emitter.on('finding', (e) => findings.get(e.caseId)?.push(e.finding));
  emitter.on('exchange', (e) => exchanges.get(e.caseId)?.push(e.exchange));
  emitter.on('check', (e) => {
    const m = checks.get(e.caseId);
    if (!m) return;
    m.set(e.step, [...(m.get(e.step) ?? []), e.check]);
  });
  emitter.on('case:end', (e: CaseEnd) => {
    const info = infos.get(e.id);
    if (!info) return;
    const perStep = checks.get(e.id) ?? new Map<number, Check[]>();
    const folded = foldChecks(e.steps.map((s) => ({ index: s.index, ...(s.name ? { name: s.name } : {}), checks: perStep.get(s.index) ?? [] })));
    const steps = e.steps.map((s, i) => ({ ...s, checks: folded[i]! }));
    const all = steps.flatMap((s) => s.checks);
    const base = {
      ...info,
      durationMs: e.durationMs,
      steps,
      checks: all,
      findings: findings.get(e.id) ?? [],
      exchanges: exchanges.get(e.id) ?? [],
      targets: e.targets,
      ...(e.stationExchanges !== undefined ? { stationExchanges: e.stationExchanges } : {}),
    };
    let r: CaseResult;
    if (e.state === 'failed') r = { ...base, state: 'failed', failures: failuresInOrder(all) };
    else if (e.state === 'errored') r = { ...base, state: 'errored', reason: e.reason ?? 'unknown error' };
    else if (e.state === 'skipped') r = { ...base, state: 'skipped', reason: e.reason ?? 'skipped' };
    else r = { ...base, state: 'passed' };
    ended.set(e.id, r);
  });
  emitter.on('run:end', (e) => {
    run = {
      ...run,
      finishedAt: e.finishedAt,
      durationMs: e.durationMs,
      interrupted: e.interrupted,
      ...(e.interruption ? { interruption: e.interruption } : {}),
      bailed: e.bailed,
    };
  });

  return {
    result() {
      const cases = order.map((id) => ended.get(id)).filter((c): c is CaseResult => c !== undefined);
      const notRun = order.filter((id) => !ended.has(id));
      const counts: RunResult['counts'] = { passed: 0, failed: 0, errored: 0, skipped: 0, total: order.length, notRun: notRun.length, findings: 0 };
      let stationPasses: number | undefined;
      for (const c of cases) {
        counts[c.state]++;
        counts.findings += c.findings.length;
        if (c.stationExchanges !== undefined) stationPasses = (stationPasses ?? 0) + (c.state === 'passed' && c.stationExchanges > 0 ? 1 : 0);
      }
      if (stationPasses !== undefined) counts.stationPasses = stationPasses;
      const notRunCases = notRun.map((id) => infos.get(id)!);
      return { ...run, durationMs: run.finishedAt ? run.durationMs : performance.now() - t0, cases, notRun, notRunCases, counts };
    },
  };
}
