import { once } from 'node:events';
import type { Exchange } from '../../src/soap/exchange.ts';
import { expect } from 'chai';
import { bodyOf, header, qr, receiptContent, startStations, EC, ST1, type Harness } from './helpers.ts';

const NN = '301000000000100121';

describe('station: fault injection', () => {
  let h: Harness;
  before(async () => {
    h = await startStations();
  });
  after(() => h.close());
  afterEach(async () => {
    // A call the client gave up on is still being answered (a delay): let it be recorded now, not in the next test.
    await h.stations.whenIdle();
    h.stations.clearInjections();
    h.stations.reset();
  });

  const verify = (timeoutMs?: number) => h.call(ST1, 'paVerifyPaymentNotice', { ...header(), ...qr(NN) }, timeoutMs);
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
  });

  it('hold: no answer while the caller waits; closed once the caller gave up', async () => {
    inject({ operation: 'paVerifyPaymentNotice', action: 'hold', times: 1 });
    const timedOut = await verify(150);
    expect(timedOut.ok).to.equal(false);
    if (!timedOut.ok) expect(timedOut.kind).to.equal('timeout');
    await h.stations.whenIdle();
    const held = h.stations.exchanges({ operation: 'paVerifyPaymentNotice' }).pop()!;
    expect(held.notes.join(' ')).to.match(/injection \S+: hold .*held without answering until the caller closed the connection/);
    expect(held.response).to.equal(undefined);
    expect(bodyOf(await verify()).outcome, 'times: 1, then the correct answer').to.equal('OK');
  });

  it('a delay over 2^31-1 ms is refused with the reason (a timer would fire it at once), from YAML/JSON, the control API and the programmatic API', async () => {
    const r = h.stations.inject({ operation: 'paVerifyPaymentNotice', delay: '30d' });
    expect(r.ok).to.equal(false);
    if (!r.ok)
      expect(r.issues[0]!.message).to.match(
        /delay 30d is 2592000000 ms, more than the longest delay a timer can wait \(2147483647 ms, about 24.8 days\): it would fire at once/,
      );
    const api = h.stations.inject({ operation: 'paVerifyPaymentNotice', delayMs: 2 ** 31, action: { kind: 'none' } });
    expect(api.ok).to.equal(false);
    const ctl = await fetch(`${h.base}/_control/stations/injections`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ operation: 'paVerifyPaymentNotice', delay: 2147483648 }),
    });
    expect(ctl.status).to.equal(400);
    expect(JSON.stringify(await ctl.json())).to.contain('longest delay a timer can wait');
    expect(h.stations.injections()).to.deep.equal([]);
    // The longest accepted delay is accepted.
    expect(h.stations.inject({ operation: 'paVerifyPaymentNotice', delay: 2147483647 }).ok).to.equal(true);
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
    // The station records the exchange after sending its answer: wait for the record, not for the answer.
    const recorded = once(h.journal, 'exchange') as Promise<[Exchange]>;
    expect(bodyOf(await getV2()).outcome).to.equal('OK');
    const [rec] = await recorded;
    expect(rec.notes.join(' ')).to.match(/Failed to apply mutation remove data\.nothing\.here/);
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

  const lastExchange = () => h.stations.exchanges().pop()!;

  it('okWithFault: outcome OK that also carries a fault bean, XSD-valid, on verify, paGetPaymentV2 and paSendRTV2', async () => {
    inject({ operation: 'paVerifyPaymentNotice', times: 1, action: 'okWithFault' });
    const v = bodyOf(await verify());
    expect(v.outcome).to.equal('OK');
    expect(v.fault).to.include({ faultCode: 'PAA_SYSTEM_ERROR', id: EC });
    expect(v.paymentList.paymentOptionDescription[0].amount).to.equal('100.00');
    expect(lastExchange().responseIssues).to.deep.equal([]);

    inject({ operation: 'paGetPaymentV2', times: 1, action: { okWithFault: 'PAA_SEMANTICA', description: 'still OK?' } });
    const g = bodyOf(await getV2());
    expect(g.outcome).to.equal('OK');
    expect(g.fault).to.include({ faultCode: 'PAA_SEMANTICA', description: 'still OK?' });
    expect(g.data.paymentAmount).to.equal('100.00');
    expect(lastExchange().notes.join(' ')).to.match(/outcome OK with fault PAA_SEMANTICA/);

    inject({ operation: 'paSendRTV2', times: 1, action: { okWithFault: true } });
    const content = { ...header(), ...receiptContent({ receiptId: 'tok-okf', noticeNumber: NN, v2: true }) };
    const s = bodyOf(await h.call(ST1, 'paSendRTV2', content));
    expect(s.outcome).to.equal('OK');
    expect(s.fault.faultCode).to.equal('PAA_SYSTEM_ERROR');
    expect(h.stations.receipts(), 'the handler ran: the receipt is stored').to.have.length(1);
  });

  it('okWithFault on a KO answer keeps its fault bean and turns the outcome to OK', async () => {
    inject({ operation: 'paVerifyPaymentNotice', times: 1, action: 'okWithFault' });
    const v = bodyOf(await h.call(ST1, 'paVerifyPaymentNotice', { ...header(), ...qr('301000000000100626') }));
    expect(v.outcome).to.equal('OK');
    expect(v.fault.faultCode).to.equal('PAA_PAGAMENTO_SCADUTO');
  });

  it('respondAs paGetPaymentRes: a paGetPaymentV2 gets the valid V1 answer, which the caller refuses as the wrong element', async () => {
    inject({ operation: 'paGetPaymentV2', times: 1, action: { respondAs: 'paGetPaymentRes' } });
    const r = await getV2();
    expect(r.ok).to.equal(false);
    if (!r.ok) {
      expect(r.kind).to.equal('schema-invalid');
      expect(r.message).to.match(/expected paGetPaymentV2Response in the Body, got \{.*paForNode\.xsd\}paGetPaymentRes/);
      expect(r.text).to.match(/<pafn:paGetPaymentRes [^>]*>[\s\S]*<transferList>/);
    }
    expect(lastExchange().responseIssues, 'a valid paGetPaymentRes on its own').to.deep.equal([]);
    // it is the V1 handler's answer, not a renamed V2 one: V1 refuses a stamp position
    inject({ operation: 'paGetPaymentV2', times: 1, action: { respondAs: 'paGetPaymentRes' } });
    const st = await h.call(ST1, 'paGetPaymentV2', { ...header(), ...qr('301000000000001255') });
    expect(st.ok).to.equal(false);
    if (!st.ok) expect(st.text).to.match(/<pafn:paGetPaymentRes [^>]*>\s*<outcome>KO<\/outcome>[\s\S]*PAA_SEMANTICA/);

    inject({ operation: 'paVerifyPaymentNotice', times: 1, action: { respondAs: 'paGetPaymentRes' } });
    const v = await verify();
    expect(v.ok).to.equal(false);
    if (!v.ok) expect(v.message).to.match(/expected paVerifyPaymentNoticeRes in the Body, got .*paGetPaymentRes/);
  });

  it('respondAs an element that answers no operation renames the correct answer', async () => {
    inject({ operation: 'paVerifyPaymentNotice', times: 1, action: { respondAs: 'paVerifyPaymentNoticeResponse' } });
    const r = await verify();
    expect(r.ok).to.equal(false);
    if (!r.ok) {
      expect(r.kind).to.equal('schema-invalid');
      expect(r.text).to.match(/<pafn:paVerifyPaymentNoticeResponse [^>]*>\s*<outcome>OK<\/outcome>[\s\S]*<paymentList>/);
    }
  });

  it('mutate move: transfer companyName after IBAN is XSD-invalid (docs/primitives.md §17.9)', async () => {
    const multi = () => h.call(ST1, 'paGetPaymentV2', { ...header(), ...qr('301000000000100222') });
    inject({
      operation: 'paGetPaymentV2',
      times: 1,
      action: { mutate: 'move', path: 'data.transferList.transfer.2.companyName', after: 'data.transferList.transfer.2.IBAN' },
    });
    const r = await multi();
    expect(r.ok).to.equal(false);
    if (!r.ok) {
      expect(r.kind).to.equal('schema-invalid');
      expect(r.issues.map((i) => i.message).join(' ')).to.match(/companyName/);
      expect(r.text).to.match(/<IBAN>IT60X0542811101000000654321<\/IBAN>\s*<companyName>Comune di Altrove<\/companyName>/);
    }
    // moving list items within their list keeps the answer XSD-valid: only the order changes
    inject({ operation: 'paGetPaymentV2', times: 1, action: { mutate: 'move', path: 'data.transferList.transfer.0', after: 'data.transferList.transfer.1' } });
    const ids = bodyOf(await multi()).data.transferList.transfer.map((t: { idTransfer: string }) => t.idTransfer);
    expect(ids).to.deep.equal(['2', '1', '3', '4', '5']);
    inject({ operation: 'paGetPaymentV2', times: 1, action: { mutate: 'move', path: 'data.description', before: 'data.creditorReferenceId' } });
    const d = await getV2();
    expect(d.ok).to.equal(false);
    if (!d.ok) expect(d.text).to.match(/<data>\s*<description>/);
  });

  it('mutate move to a missing place or onto a sibling of the same name is reported and the correct answer is sent', async () => {
    inject({ operation: 'paGetPaymentV2', times: 1, action: { mutate: 'move', path: 'data.companyName', after: 'data.nothing' } });
    expect(bodyOf(await getV2()).data.companyName).to.equal('Comune di Esempio');
    expect(lastExchange().notes.join(' ')).to.match(/Failed to apply mutation move data\.companyName: path data\.nothing not found/);
    inject({
      operation: 'paGetPaymentV2',
      times: 1,
      action: { mutate: 'move', path: 'data.transferList.transfer.0.IBAN', after: 'data.transferList.transfer.1.remittanceInformation' },
    });
    const ok = bodyOf(await h.call(ST1, 'paGetPaymentV2', { ...header(), ...qr('301000000000100222') }));
    expect(ok.data.transferList.transfer[0].IBAN).to.equal('IT60X0542811101000000123456');
    expect(lastExchange().notes.join(' ')).to.match(/transfer\.1\.remittanceInformation already has a sibling 'IBAN'/);
    expect(lastExchange().responseIssues).to.deep.equal([]);
  });

  it('mutate set creates missing parents, and after/before puts a new element in its schema place', async () => {
    inject({ operation: 'paGetPaymentV2', times: 1, action: { mutate: 'set', path: 'data.extra.inner', value: 'x' } });
    const r = await getV2();
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.text).to.match(/<extra>\s*<inner>x<\/inner>\s*<\/extra>\s*<\/data>/);
    // a transfer companyName the position does not have, before the IBAN: still XSD-valid
    inject({
      operation: 'paGetPaymentV2',
      times: 1,
      action: { mutate: 'set', path: 'data.transferList.transfer.0.companyName', value: 'Ufficio Tributi', before: 'data.transferList.transfer.0.IBAN' },
    });
    const g = bodyOf(await getV2());
    expect(g.data.transferList.transfer[0].companyName).to.equal('Ufficio Tributi');
    expect(lastExchange().responseIssues).to.deep.equal([]);
  });

  it('soapFault: HTTP 500 with a SOAP 1.1 Fault, before the handler (a failed paSendRTV2 stores nothing)', async () => {
    inject({ operation: 'paVerifyPaymentNotice', times: 1, action: { soapFault: 'Client', faultString: 'Unmarshalling Error: unexpected element' } });
    const r = await verify();
    expect(r.ok).to.equal(false);
    if (!r.ok) {
      expect(r.kind).to.equal('soap-fault');
      expect(r.status).to.equal(500);
      expect(r.fault).to.deep.include({ faultcode: 'soapenv:Client', faultstring: 'Unmarshalling Error: unexpected element' });
    }
    inject({ operation: 'paSendRTV2', times: 1, action: 'soapFault' });
    const s = await h.call(ST1, 'paSendRTV2', { ...header(), ...receiptContent({ receiptId: 'tok-sf', noticeNumber: NN, v2: true }) });
    expect(s.ok).to.equal(false);
    if (!s.ok) expect(s.fault?.faultcode).to.match(/Server$/);
    expect(h.stations.receipts()).to.have.length(0);
  });

  it('rejects malformed new actions with the reason', () => {
    const bad = (action: unknown) => {
      const r = h.stations.inject({ action });
      expect(r.ok, JSON.stringify(action)).to.equal(false);
      return r.ok ? '' : r.issues.map((i) => i.message).join(' ');
    };
    expect(bad({ mutate: 'move', path: 'data.companyName' })).to.match(/move needs after or before/);
    expect(bad({ mutate: 'remove', path: 'data.companyName', after: 'data.description' })).to.match(/after\/before go with mutate set or move/);
    expect(bad({ mutate: 'set', path: 'a', after: 'b', before: 'c' })).to.match(/not both/);
    expect(bad({ okWithFault: true, soapFault: 'Server' })).to.match(/exactly one of/);
    expect(bad({ soapFault: 'Teapot' })).to.match(/soapFault|allowed/);
  });

  it('injections from the positions file and through the control API', async () => {
    const res = await fetch(`${h.base}/_control/stations/injections`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'ctl', operation: 'paVerifyPaymentNotice', action: { fault: 'PAA_PAGAMENTO_IN_CORSO' } }),
    });
    expect(res.status).to.equal(201);
    expect(bodyOf(await verify()).fault.faultCode).to.equal('PAA_PAGAMENTO_IN_CORSO');
    const bad = await fetch(`${h.base}/_control/stations/injections`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'explode' }),
    });
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as { error: string }).error).to.match(/^Failed to set the injection/);
    expect((await fetch(`${h.base}/_control/stations/injections/ctl`, { method: 'DELETE' })).status).to.equal(200);
    expect(bodyOf(await verify()).outcome).to.equal('OK');
  });
});
