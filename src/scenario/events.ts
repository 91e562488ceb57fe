/**
 * The typed event map of a scenario run. The engine (run.ts) only emits these events;
 * reporters, the recorder and the evidence writer only listen to them (Mocha's EVENT_*,
 * MSW's LifeCycleEventsMap, Vitest's Reporter hooks).
 */
import { EventEmitter } from 'node:events';
import type { Exchange } from '../soap/index.ts';
import type { Check } from './expect.ts';
import type { Finding } from './findings.ts';

/** What a reporter needs to know about a scenario before it runs. */
export interface CaseInfo {
  id: string;
  title: string;
  description?: string;
  tags: string[];
  testCase?: string;
  /** Scenario file, relative to the current directory. */
  file: string;
  line: number;
  /** One label per step, e.g. `activatePaymentNoticeV2 (activate)`. */
  stepLabels: string[];
}

export type CaseState = 'passed' | 'failed' | 'errored' | 'skipped';

export interface StepSummary {
  index: number;
  kind: string;
  label: string;
  /** The step's `name:` (what `${name...}` reads), when it has one. */
  name?: string;
  /** Scenario file line of the step. */
  line: number;
  durationMs: number;
  /** Journal sequence numbers of the exchanges seen while the step ran. */
  exchanges: number[];
}

export interface CaseEnd {
  id: string;
  state: CaseState;
  durationMs: number;
  /** skipped: why; errored: what went wrong in the harness or transport. */
  reason?: string;
  steps: StepSummary[];
  /** Stations addressed at a user URL in this case (idStation → url). */
  targets: Record<string, string>;
  /**
   * Messages the case exchanged with the station under test (the user's station, or the reference station
   * of the station suite); absent when no station is under test. A pass with 0 says nothing about the station.
   */
  stationExchanges?: number;
}

export interface RunStart {
  runId: string;
  startedAt: string;
  cases: CaseInfo[];
  /** `--station` overrides (idStation → url). */
  targets: Record<string, string>;
  seed: string;
}

export interface RunEnd {
  finishedAt: string;
  durationMs: number;
  /** true when the run was stopped (Ctrl-C, --bail) before every case ran. */
  interrupted: boolean;
  /** What interrupted the run (the AbortSignal's reason when it is a string, e.g. `SIGTERM`). */
  interruption?: string;
  bailed: boolean;
}

export interface RunEvents {
  'run:start': RunStart;
  'case:start': { id: string; at: string };
  exchange: { caseId: string; step: number; exchange: Exchange };
  check: { caseId: string; step: number; check: Check };
  /** Something worth reading that never fails the scenario (findings.ts). */
  finding: { caseId: string; finding: Finding };
  'case:end': CaseEnd;
  'run:end': RunEnd;
}

export type RunEventName = keyof RunEvents;
export const RUN_EVENTS: readonly RunEventName[] = ['run:start', 'case:start', 'exchange', 'check', 'finding', 'case:end', 'run:end'];

/** A listener object: any subset of the hooks. A reporter with none of them is a config error. */
export type RunListener = { [K in RunEventName]?: (payload: RunEvents[K]) => void };

export class RunEmitter {
  private readonly ee = new EventEmitter();
  constructor() {
    this.ee.setMaxListeners(100);
  }
  on<K extends RunEventName>(name: K, fn: (payload: RunEvents[K]) => void): () => void {
    this.ee.on(name, fn as (p: unknown) => void);
    return () => this.ee.off(name, fn as (p: unknown) => void);
  }
  emit<K extends RunEventName>(name: K, payload: RunEvents[K]): void {
    this.ee.emit(name, payload);
  }
  /** Subscribes every hook the listener implements; returns false when it implements none. */
  attach(listener: RunListener): boolean {
    let any = false;
    for (const name of RUN_EVENTS) {
      const fn = listener[name] as ((p: unknown) => void) | undefined;
      if (typeof fn === 'function') {
        this.ee.on(name, (p) => fn.call(listener, p));
        any = true;
      }
    }
    return any;
  }
}
