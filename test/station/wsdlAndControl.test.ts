import { expect } from 'chai';
import soap from 'soap';
import { header, qr, startStations, EC, ST1, type Harness } from './helpers.ts';

describe('station: WSDL (npm soap client) and control API', () => {
  let h: Harness;
  before(async () => {
    h = await startStations();
  });
  after(() => h.close());

  it('the npm soap client loads ?wsdl and calls paVerifyPaymentNotice', async () => {
    const client = await soap.createClientAsync(`${h.stations.urlOf(ST1, h.base)}?wsdl`);
    const [res] = await (client as unknown as Record<string, (a: unknown) => Promise<[Record<string, any>]>>)['paVerifyPaymentNoticeAsync']!({
      ...header(),
      ...qr('301000000000100121'),
    });
    expect(res.outcome).to.equal('OK');
    expect(res.paymentList.paymentOptionDescription.amount ?? res.paymentList.paymentOptionDescription[0].amount).to.equal('100.00');
    const e = h.stations.exchanges({ operation: 'paVerifyPaymentNotice' }).pop()!;
    expect(e.requestIssues).to.deep.equal([]);
  });

  it('answers 404 with a clear message for an unknown station', async () => {
    const r = await fetch(`${h.base}/stations/NOPE`, { method: 'POST', body: '<x/>' });
    expect(r.status).to.equal(404);
    expect(await r.text()).to.match(/^Failed to find station NOPE: it is not configured\. Configured stations: 77777777777_01/);
  });

  it('lists stations with their URLs, positions, and changes a position state', async () => {
    const st = (await (await fetch(`${h.base}/_control/stations`)).json()) as { stations: Array<{ idStation: string; url: string }> };
    expect(st.stations.find((s) => s.idStation === ST1)!.url).to.equal(`${h.base}/stations/${ST1}`);
    const ps = (await (await fetch(`${h.base}/_control/stations/positions?fiscalCode=${EC}`)).json()) as { positions: unknown[] };
    expect(ps.positions.length).to.be.greaterThan(5);
    const patched = await fetch(`${h.base}/_control/stations/positions/${EC}/301000000000100121`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'cancelled' }),
    });
    expect(((await patched.json()) as { state: string }).state).to.equal('cancelled');
    const bad = await fetch(`${h.base}/_control/stations/positions/${EC}/301000000000100121`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'gone' }),
    });
    expect(bad.status).to.equal(400);
    await fetch(`${h.base}/_control/stations/reset`, { method: 'POST' });
    expect(h.stations.position(EC, '301000000000100121')!.state).to.equal('payable');
  });

  it('replaces positions from YAML and reports file:line:col for errors', async () => {
    const yaml =
      'positions:\n  - fiscalCode: "77777777777"\n    noticeNumber: "301000000000100929"\n    description: Nuova\n    transfers:\n      - { amount: 5, iban: IT60X0542811101000000123456, remittanceInformation: r, category: c }\n';
    const ok = await fetch(`${h.base}/_control/stations/positions`, { method: 'PUT', headers: { 'content-type': 'application/yaml' }, body: yaml });
    expect(ok.status).to.equal(200);
    expect(h.stations.positions()).to.have.length(1);
    const bad = await fetch(`${h.base}/_control/stations/positions`, {
      method: 'POST',
      headers: { 'content-type': 'application/yaml' },
      body: yaml.replace('amount: 5', 'amount: -5'),
    });
    expect(bad.status).to.equal(400);
    const j = (await bad.json()) as { error: string; issues: Array<{ line: number; col: number; path: string }> };
    expect(j.error).to.match(/^Failed to load positions/);
    expect(j.issues[0]).to.include({ line: 6, path: '/positions/0/transfers/0/amount' });
    const broken = await fetch(`${h.base}/_control/stations/positions`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{nope' });
    expect(broken.status).to.equal(400);
    h.stations.reset();
    expect(h.stations.positions()).to.have.length(1);
  });

  it('lists, filters and clears exchanges; reads receipts per station and per EC', async () => {
    const all = (await (await fetch(`${h.base}/_control/stations/exchanges?station=${ST1}`)).json()) as { exchanges: Array<{ party: string }> };
    expect(all.exchanges.length).to.be.greaterThan(0);
    expect(all.exchanges.every((e) => e.party === `station:${ST1}`)).to.equal(true);
    expect((await fetch(`${h.base}/_control/stations/exchanges`, { method: 'DELETE' })).status).to.equal(204);
    const none = (await (await fetch(`${h.base}/_control/stations/exchanges`)).json()) as { exchanges: unknown[] };
    expect(none.exchanges).to.have.length(0);
    const rs = (await (await fetch(`${h.base}/_control/stations/${ST1}/receipts`)).json()) as { receipts: unknown[] };
    expect(rs.receipts).to.deep.equal([]);
    const byEc = (await (await fetch(`${h.base}/_control/stations/receipts/ec/${EC}`)).json()) as { receipts: unknown[] };
    expect(byEc.receipts).to.deep.equal([]);
  });
});
