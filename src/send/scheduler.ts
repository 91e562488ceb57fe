/**
 * Work scheduled on the injected Clock: with a ManualClock tasks run when the clock is
 * advanced past their time (advanceAndSettle waits for them), with the RealClock they run
 * on timers. `idle()` resolves when no task is running, for tests and scenario steps.
 */
import type { Clock } from '../clock.ts';
import { currentCorrelation, withCorrelation } from '../soap/exchange.ts';

interface Task {
  at: number;
  run: () => Promise<void>;
}

export class Scheduler {
  private tasks: Task[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly unsubscribe: () => void;
  constructor(private readonly clock: Clock, private readonly onError: (e: unknown) => void) {
    this.unsubscribe = clock.onAdvance(() => this.runDue());
  }

  /** Runs `run` after `delayMs` of clock time (0 = as soon as possible, outside the caller's stack). */
  after(delayMs: number, task: () => Promise<void>): void {
    // The task belongs to the exchange that scheduled it, even when a clock advance runs it.
    const correlationId = currentCorrelation();
    const run = () => withCorrelation(correlationId, task);
    if (!this.clock.manual) {
      const t = setTimeout(() => {
        this.timers.delete(t);
        void this.track(run);
      }, delayMs);
      this.timers.add(t);
      return;
    }
    if (delayMs <= 0) {
      setImmediate(() => void this.track(run));
      return;
    }
    this.tasks.push({ at: this.clock.now().getTime() + delayMs, run });
  }

  private track(run: () => Promise<void>): Promise<void> {
    const p = run().catch(this.onError);
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
    return p;
  }

  /** Runs the tasks whose time has come (called on every clock advance). */
  async runDue(): Promise<void> {
    const now = this.clock.now().getTime();
    const due = this.tasks.filter((t) => t.at <= now).sort((a, b) => a.at - b.at);
    this.tasks = this.tasks.filter((t) => t.at > now);
    for (const t of due) await this.track(t.run);
    await this.idle();
  }

  /** Resolves when nothing is running (tasks started meanwhile are awaited too). */
  async idle(): Promise<void> {
    await new Promise((r) => setImmediate(r));
    while (this.running.size) {
      await Promise.all([...this.running]);
      await new Promise((r) => setImmediate(r));
    }
  }

  get pending(): number {
    return this.tasks.length + this.timers.size;
  }

  clear(): void {
    this.tasks = [];
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  close(): void {
    this.clear();
    this.unsubscribe();
  }
}
