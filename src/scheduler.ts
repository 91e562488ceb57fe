/**
 * The one scheduler on the injected clock (SEND's validations and cost pushes, the Nodo's receipt
 * retries, the stand-in manager's cron jobs). With a manual clock (ManualClock, OffsetClock) a task runs on the advance that passes its
 * time: every task a jump passed, in time order, including those the tasks themselves schedule at or
 * before the new time (a retry schedule catches up as the real one would have run). With the real
 * clock a task waits on an unref'd timer, so pending work never keeps a process alive. `idle()`
 * resolves once nothing is running: the world awaits it, so no verdict depends on how fast background
 * work was.
 */
import type { Clock } from './clock.ts';

type Task = () => Promise<void>;

export interface SchedulerOptions {
  /** Tasks due at one advance start together (independent jobs, e.g. receipts to different stations) instead of one after the other. */
  together?: boolean;
}

export class ClockScheduler {
  private tasks: { at: number; run: Task }[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private kicked = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly clock: Clock,
    private readonly onError: (e: unknown) => void,
    private readonly opts: SchedulerOptions = {},
  ) {
    this.unsubscribe = clock.onAdvance((now) => this.runDue(now.getTime()));
  }

  /** Runs `task` at clock time `time` (ms); a time already passed runs as soon as possible, outside the caller's stack. */
  at(time: number, task: Task): void {
    if (!this.clock.manual) {
      const t = setTimeout(
        () => {
          this.timers.delete(t);
          void this.start(task);
        },
        Math.max(0, time - this.clock.now().getTime()),
      );
      t.unref();
      this.timers.add(t);
      return;
    }
    this.tasks.push({ at: time, run: task });
    if (time <= this.clock.now().getTime() && !this.kicked) {
      this.kicked = true;
      setImmediate(() => {
        this.kicked = false;
        void this.runDue(this.clock.now().getTime());
      });
    }
  }

  /** Runs `task` after `delayMs` of clock time (0: as soon as possible). */
  after(delayMs: number, task: Task): void {
    this.at(this.clock.now().getTime() + Math.max(0, delayMs), task);
  }

  /** Runs `task` now, counted as running until it ends. */
  now(task: Task): Promise<void> {
    return this.start(task);
  }

  private start(task: Task): Promise<void> {
    const p = task().catch(this.onError);
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
    return p;
  }

  /** Runs the tasks due at `now`, and those they schedule at or before it, then waits until nothing runs. */
  async runDue(now: number): Promise<void> {
    for (;;) {
      const due = this.tasks.filter((t) => t.at <= now).sort((a, b) => a.at - b.at);
      if (due.length === 0) break;
      this.tasks = this.tasks.filter((t) => t.at > now);
      if (this.opts.together) await Promise.all(due.map((t) => this.start(t.run)));
      else for (const t of due) await this.start(t.run);
    }
    await this.idle();
  }

  /** Resolves when nothing is running (tasks started meanwhile are awaited too). */
  async idle(): Promise<void> {
    await new Promise((r) => setImmediate(r));
    while (this.running.size || this.kicked) {
      await Promise.all([...this.running]);
      await new Promise((r) => setImmediate(r));
    }
  }

  /** Tasks running now. */
  get active(): number {
    return this.running.size;
  }

  /** Tasks waiting for their time. */
  get pending(): number {
    return this.tasks.length + this.timers.size;
  }

  /** Forgets every waiting task (running ones finish). */
  clear(): void {
    this.tasks = [];
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** clear() and stop listening to the clock. */
  close(): void {
    this.clear();
    this.unsubscribe();
  }
}
