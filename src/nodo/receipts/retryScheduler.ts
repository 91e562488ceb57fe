/**
 * Runs delivery jobs now and retries the pending ones on the injected clock: with a
 * ManualClock, each `advance` runs every retry that became due (a jump of several
 * intervals runs the missed attempts one after the other, as the real schedule would
 * have); with the real clock, unref'd timers. Jobs run independently of each other.
 * A job leaves the scheduler as soon as it is final (delivered, skipped, given up), so
 * the scheduler only ever holds the jobs still waiting for a retry.
 */
import { attemptDelivery, recordSkip, type DeliveryDeps, type DeliveryJob } from './delivery.ts';

export interface RetryScheduler {
  /** Starts a job: records a skip, or sends the first attempt at once. */
  start(job: DeliveryJob): void;
  /** Resolves when no attempt is in flight (pending retries wait for the clock). */
  whenIdle(): Promise<void>;
  /** Attempts in flight now. */
  inFlight(): number;
  /** Forgets every job and timer; attempts in flight finish but schedule nothing. */
  reset(): void;
  /** Jobs held (waiting for an attempt or a retry). */
  size(): number;
  /** reset() and stop listening to the clock. */
  close(): void;
}

/** A job that will not be attempted again. */
export const isFinal = (job: DeliveryJob): boolean => job.rd.state === 'NOTIFIED' || job.rd.state === 'SKIPPED' || job.rd.gaveUp;

export function createRetryScheduler(deps: DeliveryDeps, onFinal: (job: DeliveryJob) => void = () => {}): RetryScheduler {
  const jobs = new Set<DeliveryJob>();
  const inflight = new Set<Promise<void>>();
  let generation = 0;

  const isDue = (job: DeliveryJob, now: number) => job.rd.state === 'NOTICE_PENDING' && !job.rd.gaveUp && !job.running && job.nextAt !== undefined && job.nextAt <= now;

  function schedule(job: DeliveryJob, base: number): void {
    job.nextAt = base + deps.options.retryIntervalMs;
    job.rd.nextAttemptAt = new Date(job.nextAt).toISOString();
    if (!deps.clock.manual) {
      const delay = Math.max(0, job.nextAt - deps.clock.now().getTime());
      job.timer = setTimeout(() => void run(job), delay);
      job.timer.unref();
    }
  }

  function run(job: DeliveryJob): Promise<void> {
    if (job.running) return job.running;
    const gen = generation;
    const base = job.nextAt ?? deps.clock.now().getTime();
    const p = (async () => {
      await attemptDelivery(deps, job);
      if (gen !== generation) return;
      if (isFinal(job)) {
        jobs.delete(job);
        onFinal(job);
      } else if (job.rd.state === 'NOTICE_PENDING') schedule(job, base);
    })().finally(() => {
      job.running = undefined;
      inflight.delete(p);
    });
    job.running = p;
    inflight.add(p);
    return p;
  }

  /** Runs due retries until none is due at `now` (catch-up after a jump of several intervals). */
  async function drain(now: Date): Promise<void> {
    const t = now.getTime();
    for (;;) {
      const due = [...jobs].filter((j) => isDue(j, t));
      if (due.length === 0) return;
      await Promise.all(due.map(run));
    }
  }

  const unsubscribe = deps.clock.onAdvance(drain);

  function reset(): void {
    generation++;
    for (const j of jobs) if (j.timer) clearTimeout(j.timer);
    jobs.clear();
  }

  return {
    start(job) {
      if (job.rd.state === 'SKIPPED') {
        recordSkip(deps, job);
        onFinal(job);
        return;
      }
      jobs.add(job);
      void run(job);
    },
    async whenIdle() {
      while (inflight.size) await Promise.allSettled([...inflight]);
    },
    inFlight: () => inflight.size,
    reset,
    size: () => jobs.size,
    close() {
      reset();
      unsubscribe();
    },
  };
}
