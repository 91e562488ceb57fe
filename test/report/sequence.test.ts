/**
 * The causal order of calls (issue 13.2, "no reversed causality"): records are written when a
 * call is answered, so a PSP call is recorded after the station call it caused, and that one
 * after the SEND call the station made while serving it.
 */
import { expect } from 'chai';
import { exchangeTree, inCallOrder, type SeqNode } from '../../src/report/sequence.ts';
import type { Exchange } from '../../src/soap/exchange.ts';

let seq = 0;
function ex(from: string, to: string, operation: string, party = from, direction: 'inbound' | 'outbound' = 'outbound'): Exchange {
  return {
    seq: ++seq,
    at: '',
    party,
    direction,
    from,
    to,
    operation,
    request: '<x/>',
    requestIssues: [],
    responseIssues: [],
    durationMs: 1,
    notes: [],
    meta: {},
  };
}
const shape = (nodes: SeqNode[]): unknown[] =>
  nodes.map((n) => (n.children.length ? [`${n.n} ${n.exchange.operation}`, shape(n.children)] : `${n.n} ${n.exchange.operation}`));

describe('report: calls in causal order', () => {
  it('nests station → SEND inside Nodo → station inside PSP → Nodo, numbered in request order; the station copy of a Nodo call is dropped', () => {
    const list = [
      ex('station:A', 'send', 'sendPrice'),
      ex('nodo', 'station:A', 'paVerifyPaymentNotice', 'station:A', 'inbound'),
      ex('nodo', 'station:A', 'paVerifyPaymentNotice'),
      ex('psp', 'nodo', 'verifyPaymentNotice', 'nodo', 'inbound'),
    ];
    expect(shape(exchangeTree(list))).to.deep.equal([['1 verifyPaymentNotice', [['2 paVerifyPaymentNotice', ['3 sendPrice']]]]]);
    expect(inCallOrder(list).map((e) => e.operation)).to.deep.equal(['verifyPaymentNotice', 'paVerifyPaymentNotice', 'sendPrice']);
  });

  it('a receipt the Nodo delivers on its own is never owned by a PSP call, even when answered before it', () => {
    const list = [ex('nodo', 'station:A', 'paSendRTV2'), ex('psp', 'nodo', 'sendPaymentOutcomeV2', 'nodo', 'inbound'), ex('nodo', 'station:B', 'paSendRTV2')];
    expect(shape(exchangeTree(list))).to.deep.equal(['1 paSendRTV2', '2 sendPaymentOutcomeV2', '3 paSendRTV2']);
  });

  it('two PSP calls each own only the station calls answered since the previous one', () => {
    const list = [
      ex('nodo', 'station:A', 'paVerifyPaymentNotice'),
      ex('psp', 'nodo', 'verifyPaymentNotice', 'nodo', 'inbound'),
      ex('nodo', 'station:A', 'paGetPaymentV2'),
      ex('psp', 'nodo', 'activatePaymentNoticeV2', 'nodo', 'inbound'),
    ];
    expect(shape(exchangeTree(list))).to.deep.equal([
      ['1 verifyPaymentNotice', ['2 paVerifyPaymentNotice']],
      ['3 activatePaymentNoticeV2', ['4 paGetPaymentV2']],
    ]);
  });
});
