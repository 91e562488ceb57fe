/**
 * Runs delivery jobs now and retries the pending ones on the clock, through the one clock scheduler
 * (src/scheduler.ts): with a manual clock each advance runs every retry that became due (a jump of
 * several intervals runs the missed attempts one after the other, as the real schedule would have);
 * with the real clock, unref'd timers. Jobs run independently of each other (due retries start
 * together). A job leaves as soon as it is final (delivered, skipped, given up), so only the jobs still
 * waiting for a retry are held.
 */
import { ClockScheduler } from '../../scheduler.ts';
import { attemptDelivery, recordSkip, type DeliveryDeps, type DeliveryJob } from './delivery.ts';

export interface RetryScheduler {
  /** Starts a job: records a skip, or sends the first attempt at once. */
  start(job: DeliveryJob): void;
  /** Resolves when no attempt is in flight (pending retries wait for the clock). */
  whenIdle(): Promise<void>;
  /** Attempts in flight now. */
  inFlight(): number;
  /** Forgets every job and pending retry; attempts in flight finish but schedule nothing. */
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
  const scheduler = new ClockScheduler(
    deps.clock,
    (e) => process.stderr.write(`Failed to deliver a receipt: ${(e as Error).message}. This is a harness bug; report it.\n`),
    { together: true },
  );
  let generation = 0;

  function schedule(job: DeliveryJob, base: number): void {
    job.nextAt = base + deps.options.retryIntervalMs;
    job.rd.nextAttemptAt = new Date(job.nextAt).toISOString();
    const gen = generation;
    scheduler.at(job.nextAt, () => (gen === generation && jobs.has(job) && !isFinal(job) ? run(job) : Promise.resolve()));
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
    });
    job.running = p;
    return p;
  }

  function reset(): void {
    generation++;
    jobs.clear();
    scheduler.clear();
  }

  return {
    start(job) {
      if (job.rd.state === 'SKIPPED') {
        recordSkip(deps, job);
        onFinal(job);
        return;
      }
      jobs.add(job);
      void scheduler.now(() => run(job));
    },
    whenIdle: () => scheduler.idle(),
    inFlight: () => scheduler.active,
    reset,
    size: () => jobs.size,
    close() {
      reset();
      scheduler.close();
    },
  };
}
