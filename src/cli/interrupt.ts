/**
 * Signals during a run (issue 18.4): nothing recorded is lost.
 *
 * - The first SIGINT (Ctrl-C) or SIGTERM (docker stop, a cancelled CI job) aborts the run with the
 *   signal's name: running scenarios end as errored "interrupted (SIGTERM)", the rest are not
 *   started, and the caller writes the reports as usual.
 * - A second signal before the writing starts writes the report of what ran at once, then exits.
 * - A signal while the reports are written waits for them: the handlers stay installed through
 *   the writing (the old code removed them first, so a signal then killed the process with half
 *   the files), and the process exits once every report is in place.
 * - The exit code names the signal: 130 for SIGINT, 143 for SIGTERM; so do the messages.
 */
import { EXIT } from '../errors.ts';

export type StopSignal = 'SIGINT' | 'SIGTERM';
const CODE: Record<StopSignal, number> = { SIGINT: EXIT.INTERRUPTED, SIGTERM: EXIT.TERMINATED };
const SAID: Record<StopSignal, string> = { SIGINT: 'Ctrl-C (SIGINT)', SIGTERM: 'SIGTERM' };

export interface RunInterrupt {
  /** Aborted, with the signal's name as reason, on the first signal. */
  readonly signal: AbortSignal;
  /** The first signal received, if any. */
  received(): StopSignal | undefined;
  /** The exit code of the run: the first signal's, else `code`. */
  exitCode(code: number): number;
  /**
   * Runs the writing of the reports; a signal meanwhile takes effect once it is done. A signal
   * that arrives during a synchronous write is queued by the event loop: the writing yields once
   * after `write` so that it is seen as "while writing" (and not lost with the handlers).
   */
  writing<T>(write: () => T): Promise<T>;
  /** Removes the handlers. */
  dispose(): void;
}

export interface InterruptIo {
  out: { write(s: string): unknown };
  exit(code: number): void;
}

/** Installs the handlers; `flushNow` writes the report of what ran so far (second signal). */
export function interruptRun(flushNow: (sig: StopSignal) => void, io: InterruptIo = { out: process.stderr, exit: (c) => process.exit(c) }): RunInterrupt {
  const controller = new AbortController();
  let first: StopSignal | undefined;
  let pending: StopSignal | undefined;
  let state: 'running' | 'writing' | 'written' = 'running';
  const handler = (sig: StopSignal) => {
    if (state === 'writing') {
      pending ??= sig;
      return;
    }
    if (state === 'written') {
      io.out.write(`\n${SAID[sig]}: the reports are written; stopping.\n`);
      io.exit(CODE[first ?? sig]);
      return;
    }
    if (!first) {
      first = sig;
      io.out.write(
        `\nInterrupted by ${SAID[sig]}: stopping after the running scenarios, then writing the report of what ran (${sig === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM'} again: write it now and stop).\n`,
      );
      controller.abort(sig);
      return;
    }
    state = 'writing';
    io.out.write(`\n${SAID[sig]} again: writing the report of what ran now, then stopping.\n`);
    try {
      flushNow(first);
    } catch (e) {
      io.out.write(`${(e as Error).message}\n`);
    } finally {
      io.exit(CODE[first]);
    }
  };
  const onInt = () => handler('SIGINT');
  const onTerm = () => handler('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    received: () => first,
    exitCode: (code) => (first ? CODE[first] : code),
    async writing(write) {
      state = 'writing';
      try {
        return write();
      } finally {
        // Two turns of the event loop: the second comes after a poll phase, where a signal queued
        // during the synchronous write is read and dispatched to the handler (as "while writing").
        for (let i = 0; i < 2; i++) await new Promise<void>((r) => setImmediate(r));
        state = 'written';
        if (pending) {
          io.out.write(`\n${SAID[pending]} received while writing the reports: they are complete; stopping.\n`);
          io.exit(CODE[first ?? pending]);
        }
      }
    },
    dispose() {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}
