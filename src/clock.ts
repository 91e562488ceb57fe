/**
 * Injectable time. The real clock is used by the standalone servers; scenarios and
 * tests use a ManualClock and jump forward (token expiry, receipt retries 1 h apart)
 * without waiting. Parts that schedule work on the clock subscribe with `onAdvance`.
 */
export interface Clock {
  now(): Date;
  /** Moves time forward (manual clocks only; the real clock ignores it and returns false). */
  advance(ms: number): boolean;
  /** Subscribe to time moves (after `advance`). */
  onAdvance(listener: (now: Date) => void | Promise<void>): () => void;
  readonly manual: boolean;
}

export class RealClock implements Clock {
  readonly manual = false;
  now(): Date {
    return new Date();
  }
  advance(): boolean {
    return false;
  }
  onAdvance(): () => void {
    return () => {};
  }
}

export class ManualClock implements Clock {
  readonly manual = true;
  private t: number;
  private readonly listeners = new Set<(now: Date) => void | Promise<void>>();
  constructor(start: Date | string | number = '2026-01-15T10:00:00.000Z') {
    this.t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  set(to: Date | string | number): void {
    this.t = new Date(to).getTime();
  }
  advance(ms: number): boolean {
    this.t += ms;
    const now = this.now();
    for (const l of this.listeners) void l(now);
    return true;
  }
  /** Advances and waits for every listener's returned promise (e.g. retries to finish). */
  async advanceAndSettle(ms: number): Promise<void> {
    this.t += ms;
    const now = this.now();
    await Promise.all([...this.listeners].map((l) => l(now)));
  }
  onAdvance(listener: (now: Date) => void | Promise<void>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * Real time plus an offset that only grows: what `serve` runs on, so a developer can jump
 * forward (token expiry, receipt retries an hour apart) without waiting. Work scheduled on
 * it runs like on a ManualClock, on `onAdvance` notifications: one per `advance` and one
 * tick per second while real time passes, so a due retry runs at most a tick late.
 */
export class OffsetClock implements Clock {
  readonly manual = true;
  private offsetMs = 0;
  private readonly listeners = new Set<(now: Date) => void | Promise<void>>();
  private readonly ticker: NodeJS.Timeout;
  constructor(tickMs = 1000) {
    this.ticker = setInterval(() => this.notify(), tickMs);
    this.ticker.unref();
  }
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  /** How far ahead of real time this clock is. */
  get offset(): number {
    return this.offsetMs;
  }
  advance(ms: number): boolean {
    if (!Number.isFinite(ms) || ms < 0) return false;
    this.offsetMs += ms;
    this.notify();
    return true;
  }
  /** Advances and waits for what the move triggered (retries, expiry work). */
  async advanceAndSettle(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) return;
    this.offsetMs += ms;
    await this.notify();
  }
  onAdvance(listener: (now: Date) => void | Promise<void>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  /** Stops the ticker (the clock still answers now()). */
  close(): void {
    clearInterval(this.ticker);
  }
  private notify(): Promise<unknown> {
    const now = this.now();
    return Promise.allSettled([...this.listeners].map(async (l) => l(now)));
  }
}

/** Parses durations like `500ms`, `7s`, `30m`, `1h`, `2d` or a number of ms. */
/** The longest delay `setTimeout` honours (2^31-1 ms, about 24.8 days); a longer one fires at once. */
export const MAX_TIMER_MS = 2_147_483_647;

export function parseDuration(v: string | number): number {
  if (typeof v === 'number') return v;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(v);
  if (!m) throw new Error(`invalid duration '${v}' (use e.g. 500ms, 7s, 30m, 1h, 2d)`);
  const n = Number(m[1]);
  const unit = m[2] ?? 'ms';
  return n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit]!;
}
