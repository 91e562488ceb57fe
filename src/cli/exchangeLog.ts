/**
 * The one-line-per-exchange log of the long-running commands (nodo, station, serve), in causal
 * order. The journal records an exchange when it ends, so a PSP request is recorded after the
 * station calls it caused, and a station's record of a call before the caller's. Here, for the
 * chains this process started: what a chain caused waits for the chain's origin (the PSP request)
 * and then prints under it as a call tree (causalOrder, from the recording order, not from times);
 * later, a callee's record waits (at most HOLD_MS) for its caller's record and prints right after it.
 */
import type { Exchange, Journal } from '../soap/index.ts';

/** How one record is printed; `depth` is 0 for a chain's origin, more for what it caused (a callee under its call). */
export type ExchangeLine = (e: Exchange, depth: number) => string;

const MAX_CHAINS = 1000;
const HOLD_MS = 2000;

interface ChainState {
  originPrinted: boolean;
  /** Records that arrived before the origin. */
  early: Exchange[];
  /** Callees' records waiting for their caller's. */
  held: Array<{ e: Exchange; timer: NodeJS.Timeout }>;
  /** Calls printed whose callee's record has not come yet. */
  open: Exchange[];
}

/** Whether inbound record `x` is the callee's side of outbound record `y` (same call, two journals' views). */
const sameCall = (y: Exchange, x: Exchange) =>
  x.url !== undefined && y.url?.endsWith(x.url) === true && (y.operation === x.operation || x.soapAction === undefined); // REST: caller and callee name the operation differently

/**
 * The records of one chain as a call tree, flattened in causal order with their depth. Built from
 * the recording order, not from times: a callee records before its caller's record of the same
 * call, and a call made while serving a request is recorded before that request's record.
 */
export function causalOrder(records: Exchange[], origin: Exchange | undefined, startOf: (e: Exchange) => number): Array<{ e: Exchange; depth: number }> {
  const bySeq = [...records].sort((a, b) => a.seq - b.seq);
  const callee = new Map<Exchange, Exchange>();
  const taken = new Set<Exchange>();
  for (const y of bySeq.filter((e) => e.direction === 'outbound')) {
    // Usually recorded before the call's record (the callee answers first); a REST callee may record just after.
    const candidates = bySeq.filter((c) => c.direction === 'inbound' && c !== origin && !taken.has(c) && sameCall(y, c));
    const x = candidates.filter((c) => c.seq < y.seq).at(-1) ?? candidates[0];
    if (x) {
      callee.set(y, x);
      taken.add(x);
    }
  }
  // The request being served when a call was made: the first record of its party's inbound side after it.
  const servers = [...(origin ? [origin] : []), ...taken].sort((a, b) => a.seq - b.seq);
  const children = new Map<Exchange | undefined, Exchange[]>();
  const orphans: Exchange[] = [];
  for (const e of bySeq) {
    if (e === origin || taken.has(e)) continue;
    const parent = e.direction === 'outbound' ? servers.find((srv) => srv.party === e.party && srv.seq > e.seq) : undefined;
    if (parent || e.direction === 'outbound') children.set(parent ?? origin, [...(children.get(parent ?? origin) ?? []), e]);
    else orphans.push(e);
  }
  const out: Array<{ e: Exchange; depth: number }> = [];
  const visit = (node: Exchange | undefined, depth: number) => {
    for (const y of (children.get(node) ?? []).sort((a, b) => startOf(a) - startOf(b) || a.seq - b.seq)) {
      out.push({ e: y, depth });
      const x = callee.get(y);
      if (x) {
        out.push({ e: x, depth: depth + 1 });
        visit(x, depth + 2);
      }
    }
  };
  if (origin) out.push({ e: origin, depth: 0 });
  visit(origin, 1);
  for (const e of orphans.sort((a, b) => startOf(a) - startOf(b) || a.seq - b.seq)) out.push({ e, depth: 1 });
  return out;
}

/** Prints every journal record through `write` in causal order; returns the unsubscribe function. */
export function printCausally(journal: Journal, line: ExchangeLine, write: (text: string) => void): () => void {
  const chains = new Map<string, ChainState>();
  const emit = (e: Exchange, depth: number) => write(line(e, depth));
  const byStart = (a: Exchange, b: Exchange) => journal.startOf(a) - journal.startOf(b) || a.seq - b.seq;

  const release = (c: ChainState, which: (e: Exchange) => boolean) => {
    if (!c.held.length) return;
    const out = c.held.filter((h) => which(h.e));
    c.held = c.held.filter((h) => !which(h.e));
    for (const h of out) clearTimeout(h.timer);
    for (const e of out.map((h) => h.e).sort(byStart)) emit(e, 2);
  };
  const flushOrigin = (c: ChainState, origin?: Exchange) => {
    c.originPrinted = true;
    // The usual chain of a served request: its origin alone (no tree to build, one line per request).
    if (origin && !c.early.length) return emit(origin, 0);
    // The next most usual: the calls its party made while serving it (the Nodo's station call), no
    // callee's record among them. causalOrder would give the origin, then those calls by start.
    if (origin && c.early.every((e) => e.direction === 'outbound' && e.party === origin.party && e.seq < origin.seq)) {
      emit(origin, 0);
      for (const e of c.early.length > 1 ? [...c.early].sort(byStart) : c.early) emit(e, 1);
      c.early = [];
      return;
    }
    for (const { e, depth } of causalOrder(origin ? [...c.early, origin] : c.early, origin, (x) => journal.startOf(x))) emit(e, depth);
    c.early = [];
  };

  const onCorrelation = (id: string) => {
    chains.set(id, { originPrinted: false, early: [], held: [], open: [] });
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
      const call = c.open.find((y) => sameCall(y, e));
      if (call) {
        c.open = c.open.filter((y) => y !== call);
        return emit(e, 2);
      }
      const timer = setTimeout(() => release(c, (x) => x === e), HOLD_MS);
      timer.unref();
      c.held.push({ e, timer });
      return;
    }
    emit(e, 1);
    const before = c.held.length;
    release(c, (x) => sameCall(e, x));
    if (c.held.length === before) c.open = [...c.open.slice(-20), e];
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
  return `${e.correlationId ? `#${e.correlationId} ` : ''}${'  '.repeat(depth)}`;
}
