/**
 * The parts of a station-suite run's summary a user acts on: how many passes exchanged
 * messages with the station, which checks could not run for lack of data (and what to
 * add), the station's answer times against the Nodo's timeouts (p50/p95 per primitive),
 * and the notices the run paid (to reload before the next run). Pure functions of the
 * run result and the plan.
 */
import type { RunResult } from '../report/index.ts';
import { consumedNotices, type StationRunPlan } from '../scenario/index.ts';

export interface AnswerTimes {
  operation: string;
  count: number;
  p50: number;
  p95: number;
  max: number;
  /** The Nodo's timeout for the primitive (from the profile). */
  timeoutMs: number;
  /** Calls that got no answer within the timeout. */
  timeouts: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function timeoutFor(op: string, plan: StationRunPlan): number {
  const t = plan.profile.station.timeouts;
  return op.startsWith('paSendRT') ? t.paSendRT : op.startsWith('paGetPayment') ? t.paGetPayment : t.paVerifyPaymentNotice;
}

/** Answer times of every call to the station under test (the Nodo's and the harness's direct ones), per primitive. */
export function answerTimes(result: RunResult, plan: StationRunPlan): AnswerTimes[] {
  const to = `station:${plan.stationCode}`;
  const by = new Map<string, { ms: number[]; timeouts: number }>();
  for (const c of result.cases)
    for (const e of c.exchanges) {
      if (e.party !== 'nodo' || e.direction !== 'outbound' || e.to !== to || !e.request) continue;
      if (e.failure === 'refused' || e.failure === 'reset') continue;
      const slot = by.get(e.operation) ?? { ms: [], timeouts: 0 };
      if (e.failure === 'timeout') slot.timeouts++;
      else slot.ms.push(e.durationMs);
      by.set(e.operation, slot);
    }
  return [...by.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([operation, s]) => {
      const sorted = [...s.ms].sort((a, b) => a - b);
      return {
        operation,
        count: sorted.length + s.timeouts,
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        max: sorted[sorted.length - 1] ?? 0,
        timeoutMs: timeoutFor(operation, plan),
        timeouts: s.timeouts,
      };
    });
}

/** Scenarios skipped because the profile lacks data, with what to add. */
export function lackOfData(result: RunResult, plan: StationRunPlan): Array<{ id: string; add: string }> {
  const ran = new Set(result.cases.map((c) => c.id));
  return [...plan.cases.entries()].filter(([id, c]) => ran.has(id) && c.missing).map(([id, c]) => ({ id, add: c.missing! }));
}

/**
 * Notices the run paid: those a paying scenario sent the station a receipt for (from the Nodo or
 * directly). A paying scenario that stopped before any receipt (the notice was not payable, the
 * activation was refused) left the notice as it was: nothing to reload.
 */
export function paidNotices(result: RunResult, plan: StationRunPlan): Array<{ scenario: string; role: string; fiscalCode: string; noticeNumber: string }> {
  const cases = new Map(result.cases.filter((c) => c.state !== 'skipped').map((c) => [c.id, c]));
  const receiptSent = (scenario: string, noticeNumber: string) =>
    cases.get(scenario)?.exchanges.some((e) => e.operation.startsWith('paSendRT') && e.to.startsWith('station:') && e.meta['noticeNumber'] === noticeNumber) ??
    false;
  return consumedNotices(plan, new Set(cases.keys()))
    .filter(({ scenario, binding }) => receiptSent(scenario, binding.noticeNumber))
    .map(({ scenario, binding }) => ({ scenario, role: binding.role, fiscalCode: binding.fiscalCode, noticeNumber: binding.noticeNumber }));
}
