import { expect } from 'chai';
import { bodyOf, header, qr, receiptContent, startStations, EC, ST1, type Harness } from './helpers.ts';

const NN = '301000000000100121';

describe('station: fault injection', () => {
  let h: Harness;
  before(async () => {
    h = await startStations();
  });
  after(() => h.close());
  afterEach(() => {
    h.stations.clearInjections();
    h.stations.reset();
  });

  const verify = (timeoutMs = 2000) => h.call(ST1, 'paVerifyPaymentNotice', { ...header(), ...qr(NN) }, timeoutMs);
  const getV2 = () => h.call(ST1, 'paGetPaymentV2', { ...header(), ...qr(NN) });
  const inject = (spec: unknown) => {
    const r = h.stations.inject(spec);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    return r.injection;
  };

  it('delay: answers after the given time', async () => {
    inject({ operation: 'paVerifyPaymentNotice', delay: '300ms' });
    const r = await verify();
    expect(bodyOf(r).outcome).to.equal('OK');
    expect(r.durationMs).to.be.at.least(290);
    const timedOut = (inject({ delay: 400 }), await verify(150));
    expect(timedOut.ok).to.equal(false);
    if (!timedOut.ok) expect(timedOut.kind).to.equal('timeout');
  });

  it('close and reset: no answer', async () => {
    inject({ action: 'close', times: 1 });
    const c = await verify();
    expect(c.ok).to.equal(false);
    if (!c.ok) expect(c.kind).to.equal('reset');
    inject({ action: 'reset', times: 1 });
    const r = await verify();
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.kind).to.equal('reset');
    expect(bodyOf(await verify()).outcome).to.equal('OK');
  });

  it('http500 with an HTML body', async () => {
    inject({ action: 'http500', times: 1 });
    const r = await verify();
    expect(r.ok).to.equal(false);
    if (!r.ok) {
      expect(r.kind).to.equal('http-status');
      expect(r.status).to.equal(500);
      expect(r.text).to.match(/<html>/);
    }
  });

  it('malformed XML', async () => {
    inject({ action: 'malformed', times: 1 });
    const r = await verify();
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.kind).to.equal('not-xml');
  });

  it('schema-invalid mutations: remove, set, empty, duplicate', async () => {
    const cases = [
      { mutate: 'remove', path: 'data.companyName' },
      { mutate: 'set', path: 'data.paymentAmount', value: '100' },
      { mutate: 'empty', path: 'data.transferList.transfer.0.IBAN' },
      { mutate: 'duplicate', path: 'data.debtor' },
    ];
    for (const action of cases) {
      inject({ operation: 'paGetPaymentV2', times: 1, action });
      const r = await getV2();
      expect(r.ok, JSON.stringify(action)).to.equal(false);
      if (!r.ok) {
        expect(r.kind).to.equal('schema-invalid');
        expect(r.issues.length).to.be.greaterThan(0);
      }
    }
    const e = h.stations.exchanges({ operation: 'paGetPaymentV2' }).slice(-4);
    for (const x of e) expect(x.responseIssues.length).to.be.greaterThan(0);
    expect(bodyOf(await getV2()).outcome).to.equal('OK');
  });

  it('a mutation path that does not exist is reported and the correct answer is sent', async () => {
    inject({ operation: 'paGetPaymentV2', times: 1, action: { mutate: 'remove', path: 'data.nothing.here' } });
    expect(bodyOf(await getV2()).outcome).to.equal('OK');
    expect(h.stations.exchanges().pop()!.notes.join(' ')).to.match(/Failed to apply mutation remove data\.nothing\.here/);
  });

  it('a given PAA fault, and KO without fault bean', async () => {
    inject({ times: 1, action: { fault: 'PAA_SYSTEM_ERROR', description: 'db down' } });
    const f = bodyOf(await verify());
    expect(f.fault).to.include({ faultCode: 'PAA_SYSTEM_ERROR', description: 'db down', id: EC });
    inject({ times: 1, action: 'koWithoutFault' });
    const k = bodyOf(await verify());
    expect(k.outcome).to.equal('KO');
    expect(k.fault).to.equal(undefined);
  });

  it('amount different from verify, keeping the transfer sum', async () => {
    inject({ operation: 'paGetPaymentV2', action: { amountMismatch: '5.00' } });
    const v = bodyOf(await verify());
    expect(v.paymentList.paymentOptionDescription[0].amount).to.equal('100.00');
    const g = bodyOf(await getV2());
    expect(g.data.paymentAmount).to.equal('105.00');
    expect(g.data.transferList.transfer[0].transferAmount).to.equal('105.00');
  });

  it('wrong IBAN', async () => {
    inject({ operation: 'paGetPaymentV2', action: { wrongIban: 'IT99X0000000000000000000001' } });
    expect(bodyOf(await getV2()).data.transferList.transfer[0].IBAN).to.equal('IT99X0000000000000000000001');
  });

  it('matches per station and per notice; times = fail twice then answer (receipt retries)', async () => {
    inject({ station: ST1, operation: 'paSendRTV2', noticeNumber: NN, times: 2, action: 'http500' });
    const content = { ...header(), ...receiptContent({ receiptId: 'tok-r', noticeNumber: NN, v2: true }) };
    const other = bodyOf(await h.call(ST1, 'paVerifyPaymentNotice', { ...header(), ...qr('301000000000100222') }));
    expect(other.outcome).to.equal('OK');
    expect((await h.call(ST1, 'paSendRTV2', content)).ok).to.equal(false);
    expect((await h.call(ST1, 'paSendRTV2', content)).ok).to.equal(false);
    expect(h.stations.receipts()).to.have.length(0);
    expect(bodyOf(await h.call(ST1, 'paSendRTV2', content)).outcome).to.equal('OK');
    expect(h.stations.receipts()).to.have.length(1);
  });

  it('injections from the positions file and through the control API', async () => {
    const res = await fetch(`${h.base}/_control/stations/injections`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'ctl', operation: 'paVerifyPaymentNotice', action: { fault: 'PAA_PAGAMENTO_IN_CORSO' } }) });
    expect(res.status).to.equal(201);
    expect(bodyOf(await verify()).fault.faultCode).to.equal('PAA_PAGAMENTO_IN_CORSO');
    const bad = await fetch(`${h.base}/_control/stations/injections`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'explode' }) });
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as { error: string }).error).to.match(/^Failed to set the injection/);
    expect((await fetch(`${h.base}/_control/stations/injections/ctl`, { method: 'DELETE' })).status).to.equal(200);
    expect(bodyOf(await verify()).outcome).to.equal('OK');
  });
});
