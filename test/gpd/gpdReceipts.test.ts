/**
 * GPD's receipts API over HTTP (docs/aca-standin.md §5): rows written by paSendRT[V2] to GPD's
 * paForNode port (a GPD position always, an ACA position only with standIn true), the list
 * with its paging, filters and date window, one receipt as XML, and every documented error:
 * 401 without body, 403 (APIM, segregation), 400 (paging, "Not enough elements", "Invalid
 * date range", segregation format), 404, 422, 503.
 */
import { expect } from 'chai';
import { ManualClock } from '../../src/clock.ts';
import { createGpd, type Gpd } from '../../src/gpd/gpd.ts';
import { dateRange, type ReceiptsApiOptions } from '../../src/gpd/gpdReceiptsRouter.ts';
import { Journal } from '../../src/soap/exchange.ts';
import { paSendRTV2RequestBody, type ReceiptData } from '../../src/nodo/receipts/receipt.ts';
import { wrap } from '../../src/soap/envelope.ts';
import { buildXml } from '../../src/xml/build.ts';
import { EC, position, startApp, type Started } from '../send/helpers.ts';

const KEY = 'harness-subscription-key';

interface H {
  app: Started;
  gpd: Gpd;
  clock: ManualClock;
  get(path: string, key?: string | null): Promise<{ status: number; text: string; json: any; type: string }>;
  pay(nav: string, iuv: string, opts?: { standIn?: boolean; at?: string; debtor?: string }): Promise<string>;
}

async function harness(receiptsApi: Partial<ReceiptsApiOptions> = {}): Promise<H> {
  const clock = new ManualClock('2026-01-15T10:00:00Z');
  const gpd = createGpd({ journal: new Journal(), clock, receiptsApi, associations: () => ({ aca: true, standIn: true }) });
  const app = await startApp(gpd.router);
  const get = async (path: string, key: string | null = KEY) => {
    const r = await fetch(`${app.baseUrl}/gpd/payments/${path}`, { headers: key ? { 'ocp-apim-subscription-key': key } : {} });
    const text = await r.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: r.status, text, json, type: r.headers.get('content-type') ?? '' };
  };
  let n = 0;
  /** Sends a paSendRTV2 for the option to GPD's paForNode port, as the Nodo does; returns GPD's outcome. */
  const pay = async (nav: string, iuv: string, o: { standIn?: boolean; at?: string; debtor?: string } = {}) => {
    const data = {
      input: {
        paymentToken: `token${++n}`,
        qrCode: { fiscalCode: EC, noticeNumber: nav },
        servedBy: { idPA: EC, idBrokerPA: EC, idStation: `${EC}_05` },
        payment: {
          creditorReferenceId: iuv,
          paymentAmount: '100.00',
          description: 'TARI',
          debtor: {
            uniqueIdentifier: { entityUniqueIdentifierType: 'F', entityUniqueIdentifierValue: o.debtor ?? 'RSSMRA80A01H501U' },
            fullName: 'Mario Rossi',
          },
          transferList: {
            transfer: [
              {
                idTransfer: '1',
                transferAmount: '100.00',
                fiscalCodePA: EC,
                IBAN: 'IT60X0542811101000000123456',
                remittanceInformation: 'TARI',
                transferCategory: '0101101IM',
              },
            ],
          },
        },
        psp: { idPSP: '88888888888', idChannel: '88888888888_01' },
        outcome: {
          paymentMethod: 'CP',
          fee: '1.00',
          paymentDateTime: o.at ?? '2026-01-15T10:00:00',
          applicationDate: '2026-01-15',
          transferDate: '2026-01-16',
        },
        ...(o.standIn !== undefined ? { standIn: o.standIn } : {}),
      },
      psp: { idPSP: '88888888888', idChannel: '88888888888_01', PSPCompanyName: 'PSP', channelDescription: 'app' },
      companyName: 'Comune di Esempio',
    } as unknown as ReceiptData;
    const built = paSendRTV2RequestBody(data, { idPA: EC, idBrokerPA: EC, idStation: `${EC}_05` });
    if (!built.ok) throw new Error(built.reason);
    const r = await fetch(`${app.baseUrl}/gpd/paForNode`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', soapaction: 'paSendRTV2' },
      body: wrap(buildXml(built.body)),
    });
    return /<outcome>(\w+)<\/outcome>/.exec(await r.text())?.[1] ?? '?';
  };
  return { app, gpd, clock, get, pay };
}

const create = (gpd: Gpd, iupd: string, iuv: string, serviceType?: 'ACA') => {
  const r = gpd.store.create(
    EC,
    {
      ...position(iupd, iuv),
      paymentOption: [
        {
          ...position(iupd, iuv).paymentOption[0]!,
          transfer: [{ idTransfer: '1', amount: 10000, remittanceInformation: 'TARI', category: '0101101IM', iban: 'IT60X0542811101000000123456' }],
        },
      ],
    },
    { toPublish: true, ...(serviceType ? { serviceType } : {}) },
  );
  if (!r.ok) throw new Error(r.problem.detail);
  return r.value.paymentOption[0]!.nav;
};

describe('GPD receipts API (HTTP)', () => {
  let h: H;
  beforeEach(async () => {
    h = await harness();
  });
  afterEach(() => h.app.close());

  it('stores a row when paSendRTV2 pays a GPD option, and lists it', async () => {
    const nav = create(h.gpd, 'P1', '05000000000000101');
    expect(await h.pay(nav, '05000000000000101')).to.equal('OK');
    const r = await h.get(`${EC}/receipts`);
    expect(r.status).to.equal(200);
    expect(r.json).to.deep.equal({
      currentPageNumber: 0,
      length: 1,
      totalPages: 1,
      results: [{ organizationFiscalCode: EC, iuv: '05000000000000101', debtor: 'RSSMRA80A01H501U', paymentDateTime: '2026-01-15T10:00:00', status: 'PAID' }],
    });
  });

  it('gives one receipt as the stored request XML (root PaSendRTV2Request, no envelope)', async () => {
    const nav = create(h.gpd, 'P1', '05000000000000101');
    await h.pay(nav, '05000000000000101');
    const r = await h.get(`${EC}/receipts/05000000000000101`);
    expect(r.status).to.equal(200);
    expect(r.type).to.match(/^application\/xml/);
    expect(r.text).to.match(/<ns2:PaSendRTV2Request xmlns:ns2="http:\/\/pagopa-api\.pagopa\.gov\.it\/pa\/paForNode\.xsd">/);
    expect(r.text).to.include('<receiptId>token1</receiptId>');
    expect(r.text).not.to.include('Envelope');
  });

  it('stores an ACA position receipt only when standIn is true', async () => {
    const a = create(h.gpd, 'ACA_1', '05000000000000202', 'ACA');
    const b = create(h.gpd, 'ACA_2', '05000000000000303', 'ACA');
    await h.pay(a, '05000000000000202', { standIn: false });
    await h.pay(b, '05000000000000303', { standIn: true });
    const r = await h.get(`${EC}/receipts`);
    expect(r.json.results.map((x: { iuv: string }) => x.iuv)).to.deep.equal(['05000000000000303']);
  });

  it('answers 401 without a body when the key is missing or unknown, 403 Problem when it is not enabled for the EC', async () => {
    for (const key of [null, 'nope']) {
      const r = await h.get(`${EC}/receipts`, key);
      expect(r.status).to.equal(401);
      expect(r.text).to.equal('');
    }
    expect(h.gpd.setSubscriptions([{ key: 'other', fiscalCodes: ['11111111111'] }])).to.equal(undefined);
    const r = await h.get(`${EC}/receipts`, 'other');
    expect(r.status).to.equal(403);
    expect(r.json).to.include({ status: 403, title: 'Forbidden' });
  });

  it('pages the list (IUV order) and answers 400 "Not enough elements" past the last page', async () => {
    for (const [i, iuv] of ['05000000000000303', '05000000000000101', '05000000000000202'].entries()) await h.pay(create(h.gpd, `P${i}`, iuv), iuv);
    const p1 = await h.get(`${EC}/receipts?pageSize=2&pageNum=1`);
    expect(p1.json).to.deep.include({ currentPageNumber: 1, length: 1, totalPages: 2 });
    expect(p1.json.results[0].iuv).to.equal('05000000000000303');
    const p0 = await h.get(`${EC}/receipts?pageSize=2`);
    expect(p0.json.results.map((x: { iuv: string }) => x.iuv)).to.deep.equal(['05000000000000101', '05000000000000202']);
    const past = await h.get(`${EC}/receipts?pageSize=2&pageNum=2`);
    expect(past.status).to.equal(400);
    expect(past.json).to.deep.equal({ title: 'Bad Request', status: 400, detail: 'Not enough elements' });
  });

  it('answers 400 for a pageNum below 0 or a pageSize outside 1..100', async () => {
    for (const q of ['pageNum=-1', 'pageNum=x', 'pageSize=0', 'pageSize=101']) {
      const r = await h.get(`${EC}/receipts?${q}`);
      expect(r.status, q).to.equal(400);
      expect(r.json.title).to.equal('Bad Request');
    }
  });

  it('no match: 200 with empty results by default; 400 "Not enough elements" with emptyPage error', async () => {
    expect((await h.get(`${EC}/receipts`)).json).to.deep.equal({ currentPageNumber: 0, length: 0, totalPages: 0, results: [] });
    await h.app.close();
    h = await harness({ emptyPage: 'error', listShape: 'receipts_list' });
    const r = await h.get(`${EC}/receipts`);
    expect(r.status).to.equal(400);
    expect(r.json.detail).to.equal('Not enough elements');
    await h.pay(create(h.gpd, 'P1', '05000000000000101'), '05000000000000101');
    expect(Object.keys((await h.get(`${EC}/receipts`)).json)).to.deep.equal(['receipts_list']);
  });

  it('filters by debtor (exact), service (IUV prefix), debtorOrIuv (prefix of either) and the date range', async () => {
    await h.pay(create(h.gpd, 'P1', '05000000000000101'), '05000000000000101', { debtor: 'AAAAAA80A01H501U', at: '2025-12-01T09:00:00' });
    await h.pay(create(h.gpd, 'P2', '06000000000000202'), '06000000000000202', { debtor: 'BBBBBB80A01H501U', at: '2026-01-10T09:00:00' });
    const iuvs = async (q: string) => (await h.get(`${EC}/receipts?${q}`)).json.results.map((x: { iuv: string }) => x.iuv);
    expect(await iuvs('debtor=AAAAAA80A01H501U')).to.deep.equal(['05000000000000101']);
    expect(await iuvs('debtor=AAAAAA')).to.deep.equal([]);
    expect(await iuvs('service=06')).to.deep.equal(['06000000000000202']);
    expect(await iuvs('debtorOrIuv=BBB')).to.deep.equal(['06000000000000202']);
    expect(await iuvs('debtorOrIuv=0500')).to.deep.equal(['05000000000000101']);
    expect(await iuvs('from=2026-01-01')).to.deep.equal(['06000000000000202']);
    expect(await iuvs('to=2025-12-01')).to.deep.equal(['05000000000000101']);
    expect(await iuvs('from=2025-12-01T09:00:00&to=2025-12-01T09:00:00')).to.deep.equal(['05000000000000101']);
  });

  it('answers 400 "Invalid date range" for a malformed date or from after to', async () => {
    for (const q of ['from=2026-13-01', 'from=15/01/2026', 'to=2026-01-01T10:00', 'from=2026-02-01&to=2026-01-01']) {
      const r = await h.get(`${EC}/receipts?${q}`);
      expect(r.status, q).to.equal(400);
      expect(r.json).to.deep.equal({ title: 'Bad Request', status: 400, detail: 'Invalid date range' });
    }
  });

  it('defaults the window to the last 3 months, from + 3 months capped at now, to - 3 months', () => {
    const now = new Date('2026-01-15T10:00:00Z');
    expect(dateRange(undefined, undefined, now, 3)).to.deep.equal({ from: '2025-10-15T10:00:00', to: '2026-01-15T10:00:00' });
    expect(dateRange('2025-12-01', undefined, now, 3)).to.deep.equal({ from: '2025-12-01T00:00:00', to: '2026-01-15T10:00:00' });
    expect(dateRange('2025-01-01', undefined, now, 3)).to.deep.equal({ from: '2025-01-01T00:00:00', to: '2025-04-01T00:00:00' });
    expect(dateRange(undefined, '2025-06-30', now, 3)).to.deep.equal({ from: '2025-03-30T23:59:59', to: '2025-06-30T23:59:59' });
  });

  it("keeps only IUVs of the subscription's segregation codes; 403 'The receipt retrieve is forbidden' for another one; 400 for a malformed segregationCodes", async () => {
    await h.pay(create(h.gpd, 'P1', '05000000000000101'), '05000000000000101');
    await h.pay(create(h.gpd, 'P2', '06000000000000202'), '06000000000000202');
    h.gpd.setSubscriptions([{ key: 'seg', segregationCodes: ['06'] }, { key: KEY }]);
    expect((await h.get(`${EC}/receipts`, 'seg')).json.results.map((x: { iuv: string }) => x.iuv)).to.deep.equal(['06000000000000202']);
    const forbidden = await h.get(`${EC}/receipts/05000000000000101`, 'seg');
    expect(forbidden.status).to.equal(403);
    expect(forbidden.json.detail).to.equal('The receipt retrieve is forbidden');
    expect((await h.get(`${EC}/receipts/06000000000000202`, 'seg')).status).to.equal(200);
    const bad = await h.get(`${EC}/receipts?segregationCodes=1,2`);
    expect(bad.status).to.equal(400);
  });

  it('answers 404 "Not found the receipt" for an IUV without a receipt', async () => {
    const r = await h.get(`${EC}/receipts/05000000000000999`);
    expect(r.status).to.equal(404);
    expect(r.json).to.deep.equal({ title: 'Not Found', status: 404, detail: 'Not found the receipt' });
  });

  it('answers 422 when GPD still has the option unpaid', async () => {
    create(h.gpd, 'P1', '05000000000000101');
    const seed = await fetch(`${h.app.baseUrl}/_control/gpd/receipts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ organizationFiscalCode: EC, iuv: '05000000000000101', paymentDateTime: '2026-01-10T09:00:00' }),
    });
    expect(seed.status).to.equal(201);
    const r = await h.get(`${EC}/receipts/05000000000000101`);
    expect(r.status).to.equal(422);
    expect(r.json.detail).to.match(/^The debt position is in an inappropriate state/);
  });

  it('answers 503 on a storage failure (injected), for the list and for one receipt', async () => {
    await fetch(`${h.app.baseUrl}/_control/gpd/receipts-injections`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ times: 2 }),
    });
    expect((await h.get(`${EC}/receipts`)).status).to.equal(503);
    const one = await h.get(`${EC}/receipts/05000000000000101`);
    expect(one.status).to.equal(503);
    expect(one.json.title).to.equal('Service Unavailable');
    expect((await h.get(`${EC}/receipts`)).status).to.equal(200);
  });
});
