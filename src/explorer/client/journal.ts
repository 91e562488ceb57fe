/**
 * The world's journal as the page sees it: polled from GET /_control/journal?since=<lastSeq>,
 * grouped into chains by correlation id (a PSP request and every station call, receipt delivery,
 * retry and SEND/GPD call it caused), each chain in causal order.
 */
import { getJson, type Exchange } from './api.ts';

export interface Chain {
  id: string;
  /** The record that started the chain (the PSP's request), when recorded. */
  origin?: Exchange;
  /** Every record, the origin first, then in the order the exchanges started. */
  records: Exchange[];
}

/** Causal order inside a chain: the origin, then by start time; a call before the callee's record of it. */
function causal(a: Exchange, b: Exchange): number {
  if (a.origin !== b.origin) return a.origin ? -1 : 1;
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  if (a.direction !== b.direction) return a.direction === 'outbound' ? -1 : 1;
  return a.seq - b.seq;
}

/** Whether inbound record `x` is the callee's side of outbound record `y` (the same call seen by both parties). */
const sameCall = (y: Exchange, x: Exchange) =>
  x.url !== undefined && y.url?.endsWith(x.url) === true && (y.operation === x.operation || x.soapAction === undefined); // REST: each side names it differently

/** Each callee's record right after its caller's (a receipt, then the station's record of it). */
function calleesAfterCallers(records: Exchange[]): Exchange[] {
  const out: Exchange[] = [];
  const placed = new Set<Exchange>();
  for (const e of records) {
    if (placed.has(e)) continue;
    out.push(e);
    placed.add(e);
    if (e.direction !== 'outbound') continue;
    const callee = records.find((x) => x.direction === 'inbound' && !x.origin && !placed.has(x) && sameCall(e, x));
    if (callee) {
      out.push(callee);
      placed.add(callee);
    }
  }
  return out;
}

export class JournalModel {
  private records: Exchange[] = [];
  private lastSeq = 0;
  private readonly listeners = new Set<() => void>();
  private timer: number | undefined;
  error: string | undefined;

  onChange(fn: () => void): void {
    this.listeners.add(fn);
  }

  start(everyMs = 1000): void {
    const tick = async () => {
      await this.poll();
      this.timer = window.setTimeout(tick, everyMs);
    };
    void tick();
  }

  stop(): void {
    if (this.timer !== undefined) window.clearTimeout(this.timer);
  }

  private inflight: Promise<void> | undefined;

  /** Fetches what is new; resolves when the view is up to date. One fetch at a time (the timer and a Send both poll). */
  poll(): Promise<void> {
    const run = async () => {
      // A poll asked for while one is in flight runs after it, so it sees what happened meanwhile.
      await this.inflight?.catch(() => undefined);
      await this.fetchNew();
    };
    const p = run().finally(() => {
      if (this.inflight === p) this.inflight = undefined;
    });
    this.inflight = p;
    return p;
  }

  private async fetchNew(): Promise<void> {
    try {
      const r = await getJson<{ lastSeq: number; exchanges: Exchange[] }>(`/_control/journal?since=${this.lastSeq}`);
      this.error = undefined;
      const fresh = r.exchanges.filter((e) => e.seq > this.lastSeq);
      if (fresh.length) {
        this.records.push(...fresh);
        this.lastSeq = fresh[fresh.length - 1]!.seq;
        for (const l of this.listeners) l();
      }
    } catch (e) {
      this.error = `Failed to read the journal: ${(e as Error).message}. Is serve still running?`;
      for (const l of this.listeners) l();
    }
  }

  /** Forgets what was shown (after a world reset). */
  forget(): void {
    this.records = [];
    for (const l of this.listeners) l();
  }

  all(): Exchange[] {
    return this.records;
  }

  /** Chains, oldest first. */
  chains(): Chain[] {
    const map = new Map<string, Chain>();
    for (const e of this.records) {
      const id = e.correlationId ?? `seq-${e.seq}`;
      let c = map.get(id);
      if (!c) {
        c = { id, records: [] };
        map.set(id, c);
      }
      c.records.push(e);
      if (e.origin) c.origin = e;
    }
    const chains = [...map.values()];
    for (const c of chains) c.records = calleesAfterCallers(c.records.sort(causal));
    // A chain's place is when it started: its origin's time, else its first record's.
    const start = (c: Chain) => (c.origin ?? c.records[0]!).at;
    return chains.sort((a, b) => (start(a) < start(b) ? -1 : start(a) > start(b) ? 1 : a.records[0]!.seq - b.records[0]!.seq));
  }
}

/** One word for what an exchange came to. */
export function resultOf(e: Exchange): string {
  if (e.meta['skipped']) return 'not sent';
  if (e.failure) return `failed: ${e.failure}${e.httpStatus ? ` (HTTP ${e.httpStatus})` : ''}`;
  if (e.outcome) return `${e.outcome}${e.faultCode ? ` ${e.faultCode}` : ''}`;
  if (e.faultCode) return e.faultCode;
  if (e.httpStatus) return `HTTP ${e.httpStatus}`;
  return 'no answer';
}

export const isReceipt = (e: Exchange) => /^paSendRT/.test(e.operation) && e.party === 'nodo';
export const isBad = (e: Exchange) =>
  Boolean(
    e.failure ||
      e.outcome === 'KO' ||
      (e.faultCode && !e.outcome) ||
      (e.httpStatus !== undefined && e.httpStatus >= 400) ||
      e.requestIssues.length ||
      e.responseIssues.length,
  );
