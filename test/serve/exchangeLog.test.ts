/**
 * The causal log from the journal's recording order alone: a callee records before its caller and
 * a request after the calls it made, whatever the clocks and durations say (under load the
 * start-time estimates invert), and the log still prints caller before callee, outer before inner.
 */
import { expect } from 'chai';
import { chainPrefix, printCausally } from '../../src/cli/exchangeLog.ts';
import { Journal, type NewExchange } from '../../src/soap/exchange.ts';

const rec = (
  party: string,
  direction: 'inbound' | 'outbound',
  from: string,
  to: string,
  operation: string,
  url: string,
  durationMs: number,
  extra: Partial<NewExchange> = {},
): NewExchange => ({
  at: '2026-01-15T10:00:00.000Z',
  party,
  direction,
  from,
  to,
  operation,
  url,
  request: '',
  durationMs,
  ...extra,
});

describe('serve: the causal log', () => {
  it('prints a PSP request, then each call, the callee’s record right after it, and calls nested in a callee under it', () => {
    const journal = new Journal();
    const lines: string[] = [];
    printCausally(
      journal,
      (e, depth) => `${chainPrefix(e, depth)}${e.party} ${e.direction} ${e.operation}`,
      (l) => lines.push(l),
    );
    const id = journal.newCorrelationId();
    // Recorded as a real activate of a SEND-linked notice is: innermost first, the PSP request last.
    // Durations are chosen so that "end minus duration" puts every caller after its callee.
    journal.record(rec('send', 'inbound', 'station:S', 'send', 'retrieveNotificationPriceV23', '/send/delivery/v2.3/price/1/2', 50, { correlationId: id }));
    journal.record(rec('station:S', 'outbound', 'station:S', 'send', 'sendPrice', 'http://h/send/delivery/v2.3/price/1/2', 1, { correlationId: id }));
    journal.record(rec('station:S', 'inbound', 'nodo', 'station:S', 'paGetPaymentV2', '/stations/S', 80, { correlationId: id }));
    journal.record(rec('nodo', 'outbound', 'nodo', 'station:S', 'paGetPaymentV2', 'http://h/stations/S', 1, { correlationId: id }));
    expect(lines).to.deep.equal([]);
    journal.record(rec('nodo', 'inbound', 'psp', 'nodo', 'activatePaymentNoticeV2', '/nodo', 2, { correlationId: id, origin: true }));
    expect(lines).to.deep.equal([
      `#${id} nodo inbound activatePaymentNoticeV2`,
      `#${id}   nodo outbound paGetPaymentV2`,
      `#${id}     station:S inbound paGetPaymentV2`,
      `#${id}       station:S outbound sendPrice`,
      `#${id}         send inbound retrieveNotificationPriceV23`,
    ]);
    // After the answer: a receipt's callee record waits for the caller's.
    journal.record(rec('station:S', 'inbound', 'nodo', 'station:S', 'paSendRTV2', '/stations/S', 50, { correlationId: id }));
    expect(lines).to.have.length(5);
    journal.record(rec('nodo', 'outbound', 'nodo', 'station:S', 'paSendRTV2', 'http://h/stations/S', 1, { correlationId: id }));
    expect(lines.slice(5)).to.deep.equal([`#${id}   nodo outbound paSendRTV2`, `#${id}     station:S inbound paSendRTV2`]);
    // A REST callee may record just after its caller: it prints at once, under it.
    journal.record(rec('send', 'outbound', 'send', 'gpd', 'setNotificationFee', 'http://h/gpd/pay/1/fee', 5, { correlationId: id }));
    journal.record(rec('gpd', 'inbound', 'send', 'gpd', 'notificationfee', '/gpd/pay/1/fee', 3, { correlationId: id }));
    expect(lines.slice(7)).to.deep.equal([`#${id}   send outbound setNotificationFee`, `#${id}     gpd inbound notificationfee`]);
  });
});
