/**
 * The one-line-per-exchange log of the long-running commands (nodo, station, serve), in causal
 * order. The journal records an exchange when it ends, so a PSP request is recorded after the
 * station calls it caused, and a station's record of a call before the caller's. Here, for the
 * chains this process started: what a chain caused waits for the chain's origin (the PSP request)
 * and then prints under it, by start time; later, a callee's record waits (at most HOLD_MS) for
 * its caller's record and prints right after it.
 */
import type { Exchange, Journal } from '../soap/exchange.ts';

/** How one record is printed; `depth` is 0 for a chain's origin, 1 for what it caused. */
export type ExchangeLine = (e: Exchange, depth: number) => string;

const MAX_CHAINS = 1000;
const HOLD_MS = 2000;

interface ChainState {
  originPrinted: boolean;
  /** Records that arrived before the origin. */
  early: Exchange[];
  /** Callees' records waiting for their caller's. */
  held: Array<{ e: Exchange; timer: NodeJS.Timeout }>;
}

/** Prints every journal record through `write` in causal order; returns the unsubscribe function. */
export function printCausally(journal: Journal, line: ExchangeLine, write: (text: string) => void): () => void {
  const chains = new Map<string, ChainState>();
  const emit = (e: Exchange, depth: number) => write(line(e, depth));
  const byStart = (a: Exchange, b: Exchange) => journal.startOf(a) - journal.startOf(b) || (a.direction === b.direction ? a.seq - b.seq : a.direction === 'outbound' ? -1 : 1);

  const release = (c: ChainState, which: (e: Exchange) => boolean) => {
    const out = c.held.filter((h) => which(h.e));
    c.held = c.held.filter((h) => !which(h.e));
    for (const h of out) clearTimeout(h.timer);
    for (const e of out.map((h) => h.e).sort(byStart)) emit(e, 1);
  };
  const flushOrigin = (c: ChainState, origin?: Exchange) => {
    c.originPrinted = true;
    if (origin) emit(origin, 0);
    for (const e of c.early.sort(byStart)) emit(e, 1);
    c.early = [];
  };

  const onCorrelation = (id: string) => {
    chains.set(id, { originPrinted: false, early: [], held: [] });
    if (chains.size > MAX_CHAINS) {
      const [oldest, c] = chains.entries().next().value!;
      if (!c.originPrinted) flushOrigin(c);
      release(c, () => true);
      chains.delete(oldest);
    }
  };
  const onExchange = (e: Exchange) => {
    const c = e.correlationId === undefined ? undefined : chains.get(e.correlationId);
    if (!c) return emit(e, e.origin || e.correlationId === undefined ? 0 : 1);
    if (!c.originPrinted) {
      if (e.origin) flushOrigin(c, e);
      else c.early.push(e);
      return;
    }
    if (e.direction === 'inbound') {
      const timer = setTimeout(() => release(c, (x) => x === e), HOLD_MS);
      timer.unref();
      c.held.push({ e, timer });
      return;
    }
    emit(e, 1);
    release(c, (x) => x.operation === e.operation && x.url !== undefined && e.url !== undefined && e.url.endsWith(x.url));
  };
  journal.on('correlation', onCorrelation);
  journal.on('exchange', onExchange);
  return () => {
    journal.off('correlation', onCorrelation);
    journal.off('exchange', onExchange);
    for (const c of chains.values()) {
      if (!c.originPrinted) flushOrigin(c);
      release(c, () => true);
    }
    chains.clear();
  };
}

/** `#<id>` and the indentation of a caused record, for line formats. */
export function chainPrefix(e: Exchange, depth: number): string {
  return `${e.correlationId ? `#${e.correlationId} ` : ''}${depth > 0 ? '  ' : ''}`;
}
