/**
 * Who called whom, in causal order (issue 13.2): a record is written when a call is answered,
 * so the PSP's call to the Nodo is recorded after the station call it caused. This rebuilds the
 * nesting: a call from A to B "owns" the calls B made and that were answered before B answered
 * A (PSP → Nodo owns Nodo → station, which owns station → SEND). Receipts are delivered by the
 * Nodo on its own (after it answers the PSP), so a PSP call never owns them. When records carry
 * the journal's correlation id, a call only owns calls of its own chain.
 *
 * Display order is request order (pre-order): request, inner calls, then the reply. Evidence
 * files and the HTML sequence view number messages in this order.
 */
import type { Exchange } from '../soap/index.ts';

export interface SeqNode {
  exchange: Exchange;
  /** 1-based number in display order (the NN of evidence files and of the HTML messages). */
  n: number;
  children: SeqNode[];
}

const ASYNC_RECEIPT = /^(paSendRT|paaInviaRT)/;
/** The chain id a party records when it knows it (journal correlation); absent on older records. */
const chain = (e: Exchange) => (e as Exchange & { correlationId?: string }).correlationId;

/** The exchanges as one record per call: the Nodo's view of its calls to stations, not the station's copy. */
export function oneRecordPerCall(list: readonly Exchange[]): Exchange[] {
  return list.filter((e) => !(e.direction === 'inbound' && e.from === 'nodo'));
}

export function exchangeTree(list: readonly Exchange[]): SeqNode[] {
  let unclaimed: SeqNode[] = [];
  for (const e of oneRecordPerCall(list)) {
    const node: SeqNode = { exchange: e, n: 0, children: [] };
    const mine = (c: SeqNode) =>
      c.exchange.from === e.to &&
      !(e.from === 'psp' && ASYNC_RECEIPT.test(c.exchange.operation)) &&
      (chain(e) === undefined || chain(c.exchange) === undefined || chain(e) === chain(c.exchange));
    node.children = unclaimed.filter(mine);
    unclaimed = unclaimed.filter((c) => !mine(c));
    unclaimed.push(node);
  }
  let n = 0;
  const number = (nodes: SeqNode[]) => {
    for (const node of nodes) {
      node.n = ++n;
      number(node.children);
    }
  };
  number(unclaimed);
  return unclaimed;
}

/** The exchanges in display (request) order. */
export function inCallOrder(list: readonly Exchange[]): Exchange[] {
  const out: Exchange[] = [];
  const walk = (nodes: SeqNode[]): void => {
    for (const node of nodes) {
      out.push(node.exchange);
      walk(node.children);
    }
  };
  walk(exchangeTree(list));
  return out;
}
