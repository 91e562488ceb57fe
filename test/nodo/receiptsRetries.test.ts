import { expect } from 'chai';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { association, registryOf, startReceiptWorld, station, type ReceiptWorld } from './helpers/receiptsStations.ts';
import { EC_A, EC_B, receiptInput, transfer } from './helpers/receiptsFixtures.ts';
import type { ReceiptDeliveryOptions } from '../../src/nodo/receipts/index.ts';
import { createReceiptDelivery } from '../../src/nodo/receipts/index.ts';
import { ManualClock } from '../../src/clock.ts';
import { Journal, type Exchange } from '../../src/soap/exchange.ts';

const A1 = `${EC_A}_01`;
const B1 = `${EC_B}_01`;
const HOUR = 3_600_000;
const TOKEN = 'c110729d258c4ab1b765fe902aae41d6';

/** A closed loopback port: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('nodo/receipts: delivery states and retries on the clock (docs/primitives.md §10.2)', () => {
  let w: ReceiptWorld | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  const registryAt = (a1TimeoutMs: number) =>
    registryOf(
      [station(A1, 2, { timeouts: { paSendRT: a1TimeoutMs } }), station(B1, 2)],
      [association(EC_A, A1, false), association(EC_B, B1, true)],
      [EC_A, EC_B],
    );
  /** A1 has its own paSendRT timeout (it is the station that hangs); the others use the default. */
  async function world(options: ReceiptDeliveryOptions = {}, a1TimeoutMs = 60_000) {
    const reg = registryAt(a1TimeoutMs);
    w = await startReceiptWorld(reg, { timeout: 60_000, ...options });
    return w;
  }
  const input = () => receiptInput({ transfers: [transfer('1', EC_A, '50.00'), transfer('2', EC_B, '30.00')] });
  const of = (idStation: string) => w!.delivery.receiptsOf(TOKEN).find((d) => d.idStation === idStation)!;

  it('times out twice, answers on the 3rd attempt → NOTIFIED after 3 attempts, 1 h apart', async () => {
    await world({}, 100);
    w!.stations.behave(A1, (n) => (n < 3 ? { kind: 'hang' } : { kind: 'ok' }));
    w!.delivery.deliver(input());
    await w!.delivery.whenIdle();
    expect(of(A1).state).to.equal('NOTICE_PENDING');
    expect(of(A1).nextAttemptAt).to.equal('2026-01-15T11:00:00.000Z');
    expect(of(A1).lastError).to.equal('no complete answer within 100 ms');
    await w!.clock.advanceAndSettle(HOUR - 1);
    expect(of(A1).attempts).to.have.length(1);
    await w!.clock.advanceAndSettle(1);
    expect(of(A1).attempts).to.have.length(2);
    w!.setRegistry(registryAt(60_000)); // the timeout is read at each attempt; a roomy one keeps the OK attempt from flaking
    await w!.clock.advanceAndSettle(HOUR);
    const d = of(A1);
    expect(d.state).to.equal('NOTIFIED');
    expect(d.attempts.map((a) => [a.n, a.result, a.failure, a.at])).to.deep.equal([
      [1, 'failed', 'timeout', '2026-01-15T10:00:00.000Z'],
      [2, 'failed', 'timeout', '2026-01-15T11:00:00.000Z'],
      [3, 'OK', undefined, '2026-01-15T12:00:00.000Z'],
    ]);
    expect(of(B1).attempts, 'the other station is independent').to.have.length(1);
    const journal = w!.journal.list({ party: 'nodo', meta: { idStation: A1 } });
    expect(journal.map((e) => e.meta['attempt'])).to.deep.equal([1, 2, 3]);
    expect(journal[0]!.failure).to.equal('timeout');
    expect(journal[0]!.notes[0]).to.equal(
      `Failed to deliver paSendRTV2 to station ${A1}: no complete answer within 100 ms. The receipt stays NOTICE_PENDING and is retried.`,
    );
    expect(journal[2]!.outcome).to.equal('OK');
  });

  it('never answers → 48 attempts, then given up (a 47 h jump runs the missed retries)', async () => {
    await world();
    w!.stations.behave(A1, () => ({ kind: 'close' }));
    w!.delivery.deliver(input());
    await w!.delivery.whenIdle();
    await w!.clock.advanceAndSettle(47 * HOUR);
    const d = of(A1);
    expect(d.attempts).to.have.length(48);
    expect(d.state).to.equal('NOTICE_PENDING');
    expect(d.gaveUp).to.equal(true);
    expect(d.nextAttemptAt).to.equal(undefined);
    expect(d.attempts.every((a) => a.failure === 'reset')).to.equal(true);
    expect(w!.stations.received(A1)).to.have.length(48);
    await w!.clock.advanceAndSettle(10 * HOUR);
    expect(of(A1).attempts).to.have.length(48);
    const last = w!.journal.list({ party: 'nodo', meta: { idStation: A1, attempt: '48' } })[0]!;
    expect(last.notes).to.include('attempt 48 of 48 was the last one: delivery given up');
  });

  it('a valid KO ends delivery: recorded, NOTIFIED, no retry', async () => {
    await world();
    w!.stations.behave(A1, () => ({ kind: 'ko', faultCode: 'PAA_SEMANTICA' }));
    w!.delivery.deliver(input());
    await w!.delivery.whenIdle();
    await w!.clock.advanceAndSettle(5 * HOUR);
    const d = of(A1);
    expect(d.state).to.equal('NOTIFIED');
    expect(d.attempts.map((a) => [a.result, a.faultCode])).to.deep.equal([['KO', 'PAA_SEMANTICA']]);
    expect(d.lastError).to.equal('station answered KO PAA_SEMANTICA: test KO');
    const e = w!.journal.list({ party: 'nodo', meta: { idStation: A1 } });
    expect(e.map((x) => [x.outcome, x.faultCode])).to.deep.equal([['KO', 'PAA_SEMANTICA']]);
  });

  it('an XSD-invalid answer is a failed attempt whose note gives the path and line:col', async () => {
    await world({ maxAttempts: 2 });
    w!.stations.behave(A1, (n) => (n === 1 ? { kind: 'invalid' } : { kind: 'ok' }));
    w!.delivery.deliver(input());
    await w!.delivery.whenIdle();
    expect(of(A1).attempts[0]!.failure).to.equal('schema-invalid');
    const e = w!.journal.list({ party: 'nodo', meta: { idStation: A1 } })[0]!;
    expect(e.responseIssues.length).to.be.greaterThan(0);
    expect(e.notes.join('\n')).to.match(/schema issues: \d+:\d+ \/\S*outcome/);
    await w!.clock.advanceAndSettle(HOUR);
    expect(of(A1).state).to.equal('NOTIFIED');
    expect(of(A1).attempts).to.have.length(2);
  });

  it('one slow station does not hold the others', async () => {
    // A1 holds its answer until the test releases it (its timeout is far away): B1 is delivered meanwhile
    await world({}, 60_000);
    w!.stations.behave(A1, () => ({ kind: 'hang' }));
    const b1Answered = new Promise<void>((resolve) => w!.journal.on('exchange', (e: Exchange) => e.party === 'nodo' && e.to === `station:${B1}` && resolve()));
    w!.delivery.deliver(input());
    await b1Answered;
    expect(of(B1).state).to.equal('NOTIFIED');
    expect(of(A1).state, 'A1 still waiting for its answer').to.equal('NOTICE_SENT');
    w!.stations.release();
    await w!.delivery.whenIdle();
    expect(of(A1).state).to.equal('NOTICE_PENDING');
    expect(of(A1).attempts.map((a) => a.failure)).to.deep.equal(['reset']);
  });

  it('a refused connection is retried; the retry interval and attempts are configurable', async () => {
    const port = await closedPort();
    const journal = new Journal();
    const clock = new ManualClock();
    const reg = registryOf([station(A1, 2)], [association(EC_A, A1, false)], [EC_A]);
    const delivery = createReceiptDelivery({
      journal,
      clock,
      registry: () => reg,
      stationUrl: () => `http://127.0.0.1:${port}/stations/x`,
      options: { retryInterval: '10m', maxAttempts: 3, timeout: '200ms' },
    });
    try {
      delivery.deliver(receiptInput({ transfers: [transfer('1', EC_A, '10.00')] }));
      await delivery.whenIdle();
      await clock.advanceAndSettle(10 * 60_000);
      await clock.advanceAndSettle(10 * 60_000);
      const d = delivery.receiptsOf(TOKEN)[0]!;
      expect(d.attempts.map((a) => a.failure)).to.deep.equal(['refused', 'refused', 'refused']);
      expect(d.gaveUp).to.equal(true);
      expect(d.lastError).to.equal(`connection refused by 127.0.0.1:${port}`);
    } finally {
      delivery.close();
    }
  });

  it('refuses bad options with a clear message', () => {
    const make = (options: ReceiptDeliveryOptions) => () =>
      createReceiptDelivery({ journal: new Journal(), clock: new ManualClock(), registry: () => registryOf([], [], []), stationUrl: () => '', options });
    expect(make({ maxAttempts: 0 })).to.throw(
      'Failed to configure receipt delivery: maxAttempts must be an integer >= 1, got 0. Fix the receipts options of the Nodo.',
    );
    expect(make({ retryInterval: 'soon' })).to.throw(/Failed to configure receipt delivery: retryInterval: invalid duration 'soon'/);
  });
});
