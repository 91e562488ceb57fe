/**
 * The stand-in manager's cron jobs on the injected clock (docs/aca-standin.md §4.2-4.3): every
 * `period` (5 min) at fixed offsets — monitor at :00, probe at :15, calculation at :30,
 * removal at :45. The jobs run on the one scheduler on the clock (src/scheduler.ts): each job
 * instant is a task that, once run, schedules the next instant, so jobs never overlap. With a
 * ManualClock every advance runs, one after the other and in time order, every job whose instant
 * was passed (each sees its own instant as "now"); with the real clock an unref'd timer waits for
 * the next instant.
 */
import type { Clock } from '../../clock.ts';
import { ClockScheduler } from '../../scheduler.ts';

export interface CronJob {
  /** Offset within the period, ms. */
  offsetMs: number;
  run(at: Date): Promise<void> | void;
}

export interface CronSchedule {
  /** Resolves when no job is running or queued. */
  whenIdle(): Promise<void>;
  close(): void;
}

export function createCronSchedule(clock: Clock, periodMs: number, jobs: CronJob[], onError: (e: unknown) => void): CronSchedule {
  const sorted = [...jobs].sort((a, b) => a.offsetMs - b.offsetMs);
  const scheduler = new ClockScheduler(clock, onError);
  let closed = false;

  /** The first job instant after `from`, and its job. */
  function next(from: number): { at: number; job: CronJob } | undefined {
    for (let base = Math.floor(from / periodMs) * periodMs; ; base += periodMs) {
      for (const job of sorted) if (base + job.offsetMs > from) return { at: base + job.offsetMs, job };
      if (sorted.length === 0) return undefined;
    }
  }

  function plan(from: number): void {
    const n = next(from);
    if (!n || closed) return;
    scheduler.at(n.at, async () => {
      try {
        if (!closed) await n.job.run(new Date(n.at));
      } finally {
        plan(n.at);
      }
    });
  }
  plan(clock.now().getTime());

  return {
    whenIdle: () => scheduler.idle(),
    close() {
      closed = true;
      scheduler.close();
    },
  };
}
