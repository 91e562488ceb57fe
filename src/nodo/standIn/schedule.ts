/**
 * The stand-in manager's cron jobs on the injected clock (docs/aca-standin.md §4.2-4.3): every
 * `period` (5 min) at fixed offsets — monitor at :00, probe at :15, calculation at :30,
 * removal at :45. With a ManualClock every advance runs, one after the other and in time
 * order, every job whose instant was passed (each sees its own instant as "now"); with the
 * real clock an unref'd timer waits for the next instant. Jobs never overlap.
 */
import type { Clock } from '../../clock.ts';

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
  let last = clock.now().getTime();
  let chain: Promise<void> = Promise.resolve();
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  /** Job instants in (from, to], in order. */
  function* due(from: number, to: number): Generator<{ at: number; job: CronJob }> {
    let base = Math.floor(from / periodMs) * periodMs;
    for (; base <= to; base += periodMs) {
      for (const job of sorted) {
        const at = base + job.offsetMs;
        if (at > from && at <= to) yield { at, job };
      }
    }
  }

  function catchUp(now: number): Promise<void> {
    chain = chain.then(async () => {
      if (closed || now <= last) return;
      const from = last;
      last = now;
      for (const { at, job } of due(from, now)) {
        if (closed) return;
        try {
          await job.run(new Date(at));
        } catch (e) {
          onError(e);
        }
      }
    });
    return chain;
  }

  const unsubscribe = clock.onAdvance((now) => catchUp(now.getTime()));

  function arm(): void {
    if (clock.manual || closed) return;
    const now = clock.now().getTime();
    const next = due(now, now + periodMs).next();
    const delay = next.done ? periodMs : Math.max(0, next.value.at - now);
    timer = setTimeout(() => {
      void catchUp(clock.now().getTime()).then(arm);
    }, delay + 1);
    timer.unref();
  }
  arm();

  return {
    async whenIdle() {
      let seen: Promise<void> | undefined;
      while (seen !== chain) {
        seen = chain;
        await seen;
      }
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      unsubscribe();
    },
  };
}
