/**
 * The result of a run, built by recorder.ts from the run events only. A case result is a
 * union on `state`; `checks` and `exchanges` are kept for every state so reports can
 * show evidence for passed cases too. This is what report.json contains (json.ts).
 */
import type { Exchange } from '../soap/index.ts';
import type { CaseInfo, CaseState, StepSummary } from '../scenario/index.ts';
import type { Check } from '../scenario/index.ts';
import type { Finding } from '../scenario/index.ts';

export const REPORT_SCHEMA_VERSION = 1;

export interface StepResult extends StepSummary {
  checks: readonly Check[];
}

interface CaseBase extends CaseInfo {
  durationMs: number;
  /** Steps that ran, with their checks. */
  steps: readonly StepResult[];
  checks: readonly Check[];
  /** What the harness noticed without failing the case: Nodo warnings, SEND findings, recorded station behaviour. */
  findings: readonly Finding[];
  /** Every exchange recorded in the scenario's world (all parties), in order. */
  exchanges: readonly Exchange[];
  /** Stations addressed at a user URL (idStation → url). */
  targets: Readonly<Record<string, string>>;
  /** Messages exchanged with the station under test (absent when none is under test): a pass with 0 says nothing about it. */
  stationExchanges?: number;
}

export type CaseResult =
  | (CaseBase & { state: 'passed' })
  /** `failures`: the failed checks, each root cause followed by the checks folded under it (`Check.causedBy`). */
  | (CaseBase & { state: 'failed'; failures: readonly Check[] })
  | (CaseBase & { state: 'errored'; reason: string })
  | (CaseBase & { state: 'skipped'; reason: string });

export interface RunResult {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'pagopa-station-harness'; version: string };
  runId: string;
  startedAt: string;
  finishedAt?: string;
  durationMs: number;
  interrupted: boolean;
  /** What interrupted the run (`SIGINT`, `SIGTERM`), when it was. */
  interruption?: string;
  bailed: boolean;
  seed: string;
  targets: Readonly<Record<string, string>>;
  /**
   * `findings`: how many findings all cases have together (never a failure). `stationPasses`: passed
   * cases that exchanged messages with the station under test (only when a station is under test).
   */
  counts: Record<CaseState, number> & { total: number; notRun: number; findings: number; stationPasses?: number };
  /** Cases that ran (or were skipped), in catalogue order. */
  cases: CaseResult[];
  /** Ids of selected cases that never started (interrupted or --bail). */
  notRun: string[];
  /** The same cases with their title, file and line (JUnit lists them as skipped). */
  notRunCases: CaseInfo[];
}
