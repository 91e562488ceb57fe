/**
 * A run that always ends with its reports (shared by `run` and `check`): the scenarios run under
 * the signal handlers of interrupt.ts, the reports are written with the handlers still in place,
 * and a second signal writes what ran at once. `HARNESS_TEST_PAUSE_AFTER` is a test hook (below):
 * after a given report, or after the scenarios.
 */
import { testPauseAt } from './testHook.ts';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { createRecorder, writeReports, type ReporterName, type RunResult } from '../report/index.ts';
import type { WrittenReports } from '../report/index.ts';
import type { RunEmitter } from '../scenario/index.ts';
import type { Scenario } from '../scenario/index.ts';
import { runScenarios, type RunOptions, type RunSummary } from '../scenario/index.ts';
import { interruptRun, type RunInterrupt } from './interrupt.ts';
import { info } from './output.ts';

export interface ReportOptions {
  outDir: string;
  reporters: ReporterName[];
  keep: number;
}

export interface ReportedRun {
  result: RunResult;
  written: WrittenReports;
  summary: RunSummary;
  interrupt: RunInterrupt;
}

/**
 * Test hook, for the signal tests only (documented in src/report/README.md, not in --help): with
 * HARNESS_TEST_PAUSE_AFTER=<report file name> and HARNESS_TEST_RESUME_FILE=<path>, the writer stops
 * right after that report is in place, says so on stderr, and resumes when the file exists. It
 * blocks like a long synchronous write does, so a test can send a signal "while the reports are
 * written" without guessing with a timer. Both variables must be set; it names them when it pauses,
 * and it never pauses longer than `maxMs` (a signal waits while it blocks: someone who set them by
 * mistake gets the run back, reports complete).
 */
/** The hook between the scenarios and the reports (testHook.ts). */
export async function testPauseBeforeWrite(env = process.env, maxMs = 60_000): Promise<void> {
  await testPauseAt('scenarios', 'after the scenarios, before writing the reports', env, maxMs);
}

export function testPauseAfterWrite(file: string, env = process.env, maxMs = 60_000): void {
  const after = env['HARNESS_TEST_PAUSE_AFTER'];
  const resume = env['HARNESS_TEST_RESUME_FILE'];
  if (!after || !resume || basename(file) !== after) return;
  process.stderr.write(
    `test hook: paused after writing ${after} until ${resume} exists, at most ${Math.ceil(maxMs / 1000)} s (HARNESS_TEST_PAUSE_AFTER and HARNESS_TEST_RESUME_FILE are set: unset them)\n`,
  );
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const until = Date.now() + maxMs;
  while (!existsSync(resume) && Date.now() < until) Atomics.wait(cell, 0, 0, 20);
}

export async function runWithReports(
  scenarios: Scenario[],
  emitter: RunEmitter,
  opts: Omit<RunOptions, 'signal'>,
  out: ReportOptions,
  cleanup?: () => Promise<void>,
): Promise<ReportedRun> {
  const recorder = createRecorder(emitter);
  const write = (run: RunResult) =>
    writeReports(run, { outDir: out.outDir, reporters: out.reporters, keep: out.keep, onWritten: (f) => testPauseAfterWrite(f) });
  const interrupt = interruptRun((sig) => {
    const w = write({ ...recorder.result(), interrupted: true, interruption: sig });
    info(`Reports of what ran: ${w.dir}`);
  });
  let summary: RunSummary;
  try {
    summary = await runScenarios(scenarios, emitter, { ...opts, signal: interrupt.signal });
  } finally {
    await cleanup?.();
  }
  await testPauseBeforeWrite();
  const result = recorder.result();
  const written = await interrupt.writing(() => write(result));
  return { result, written, summary, interrupt };
}

/** Where the reports are, and the page to open only when report.html was written. */
export function reportLines(w: WrittenReports): string[] {
  const lines = [
    `Reports: ${w.dir}${w.latest !== w.dir ? ` (also ${w.latest})` : ''}${w.pruned.length ? `; ${w.pruned.length} older run(s) removed (--keep)` : ''}`,
  ];
  if (w.files.some((f) => basename(f) === 'report.html')) lines.push(`Open ${w.latest}/report.html in a browser.`);
  return lines;
}
