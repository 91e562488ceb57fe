/**
 * ACA's paCreatePosition over HTTP (docs/aca-standin.md §2.3-2.8): APIM's gate (401, 429, plain-text
 * 400, 403), the service's binding 400, segregation 403 (empty body), 404, 500, the create /
 * update / invalidate table (200, 422, 409) and GPD's own refusals, each with its body.
 */
import { expect } from 'chai';
import { createAca, type AcaOptions } from '../../src/aca/index.ts';
import { ManualClock } from '../../src/clock.ts';
import { loadRegistry, type Registry } from '../../src/nodo/registry.ts';
import { createGpd } from '../../src/gpd/gpd.ts';
import { Journal } from '../../src/soap/exchange.ts';
import { startApp, type Started } from '../send/helpers.ts';

const KEY = 'harness-subscription-key';
const base = (): Registry => {
  const r = loadRegistry('scenarios/fixtures/registry.default.yaml');
  if (!r.ok) throw new Error('default registry does not load');
  return r.registry;
};

function body(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    paFiscalCode: '77777777777',
    entityType: 'F',
    entityFiscalCode: 'RSSMRA80A01H501U',
    entityFullName: 'Mario Rossi',
    iuv: '01000000000000123',
    amount: 10000,
    description: 'TARI 2026',
    expirationDate: '2026-12-31T23:59:59+01:00',
    ...over,
  };
}

interface Harness {
  app: Started;
  clock: ManualClock;
  journal: Journal;
  gpd: ReturnType<typeof createGpd>;
  aca: ReturnType<typeof createAca>;
  post(b: unknown, headers?: Record<string, string>, query?: string): Promise<{ status: number; text: string; json: any; type: string }>;
}

async function harness(options: AcaOptions = {}, registry = base()): Promise<Harness> {
  const clock = new ManualClock('2026-01-15T10:00:00Z');
  const journal = new Journal();
  const gpd = createGpd({ journal, clock });
  const aca = createAca({ journal, clock, store: gpd.store, registry: () => registry, options });
  const app = await startApp(gpd.router, aca.router);
  const post = async (b: unknown, headers: Record<string, string> = { 'ocp-apim-subscription-key': KEY }, query = '') => {
    const r = await fetch(`${app.baseUrl}/aca/v1/paCreatePosition${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof b === 'string' ? b : JSON.stringify(b),
    });
    const text = await r.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: r.status, text, json, type: r.headers.get('content-type') ?? '' };
  };
  return { app, clock, journal, gpd, aca, post };
}

describe('ACA paCreatePosition (HTTP)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });
  afterEach(() => h.app.close());

  describe('APIM gate', () => {
    it("answers 401 with APIM's body without a subscription key, or with an unknown one", async () => {
      const none = await h.post(body(), {});
      expect(none.status).to.equal(401);
      expect(none.json).to.deep.equal({
        statusCode: 401,
        message: 'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.',
      });
      const bad = await h.post(body(), { 'ocp-apim-subscription-key': 'nope' });
      expect(bad.status).to.equal(401);
      expect(bad.json.message).to.match(/invalid subscription key/);
      expect(h.gpd.store.list()).to.have.length(0);
    });

    it('accepts the key in the subscription-key query parameter too', async () => {
      const r = await h.post(body(), {}, `?subscription-key=${KEY}`);
      expect(r.status).to.equal(200);
    });

    it('answers 400 in plain text when the body has no paFiscalCode (or is not JSON), before the service', async () => {
      const { paFiscalCode: _drop, ...rest } = body();
      for (const b of [rest, 'not json {', { ...body(), paFiscalCode: null }]) {
        const r = await h.post(b);
        expect(r.status).to.equal(400);
        expect(r.type).to.match(/^text\/plain/);
        expect(r.text).to.equal("The 'paFiscalCode' field is missing in the request body.");
      }
    });

    it('answers 403 {statusCode, message} when the key is not enabled for the EC', async () => {
      h.aca.setSubscriptions([{ key: 'k-other', fiscalCodes: ['11111111111'] }]);
      const r = await h.post(body(), { 'ocp-apim-subscription-key': 'k-other' });
      expect(r.status).to.equal(403);
      expect(r.json).to.deep.equal({ statusCode: 403, message: 'You are not allowed to access this resource.' });
    });

    it('answers 429 past 150 calls in 10 s from one X-Forwarded-For, counted on the clock', async () => {
      await h.app.close();
      h = await harness({ rateLimit: { calls: 2, perMs: 10_000 } });
      const from = { 'ocp-apim-subscription-key': KEY, 'x-forwarded-for': '10.0.0.1' };
      expect((await h.post(body(), from)).status).to.equal(200);
      expect((await h.post(body(), from)).status).to.equal(200);
      const third = await h.post(body(), from);
      expect(third.status).to.equal(429);
      expect(third.json.message).to.match(/^Rate limit is exceeded\. Try again in \d+ seconds\.$/);
      expect((await h.post(body(), { ...from, 'x-forwarded-for': '10.0.0.2' })).status, 'another client').to.equal(200);
      h.clock.advance(10_000);
      expect((await h.post(body(), from)).status).to.equal(200);
    });
  });

  describe('binding (400 Bad request)', () => {
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['a required field missing', { description: undefined }, /description: must not be null/],
      ['paFiscalCode not 11 characters', { paFiscalCode: '7777777777' }, /paFiscalCode/],
      ['entityType not F or G', { entityType: 'X' }, /entityType/],
      ['entityFiscalCode shorter than 2', { entityFiscalCode: 'R' }, /entityFiscalCode/],
      ['a negative amount', { amount: -1 }, /amount/],
      ['an amount over 99 999 999 999', { amount: 100_000_000_000 }, /amount/],
      ['an amount that is not an integer', { amount: 10.5 }, /amount/],
      ['expirationDate without an offset', { expirationDate: '2026-12-31T23:59:59' }, /expirationDate/],
      ['an iban of 26 characters', { iban: 'IT60X054281110100000012345' }, /iban/],
      ['a postalIban of 28 characters', { postalIban: 'IT57N07601016000000123456789' }, /postalIban/],
      ['payStandIn not a boolean', { payStandIn: 'yes' }, /payStandIn/],
    ];
    for (const [what, over, detail] of cases) {
      it(`refuses ${what} with Problem JSON {status, title, detail}`, async () => {
        const b = body(over);
        for (const [k, v] of Object.entries(b)) if (v === undefined) delete b[k];
        const r = await h.post(b);
        expect(r.status).to.equal(400);
        expect(r.json.title).to.equal('Bad request');
        expect(r.json.status).to.equal(400);
        expect(r.json.detail).to.match(detail);
        expect(r.json).not.to.have.property('type');
      });
    }

    it('ignores fields it does not know (companyName of PR #999)', async () => {
      const r = await h.post(body({ companyName: 'Ignored' }));
      expect(r.status).to.equal(200);
      expect(r.json.companyName).to.equal('Comune di Esempio');
    });
  });

  describe('service checks', () => {
    it('answers 403 with an empty body when the IUV does not start with a segregation code of the subscription', async () => {
      h.aca.setSubscriptions([{ key: 'k-seg', segregationCodes: ['02', '03'] }]);
      const r = await h.post(body(), { 'ocp-apim-subscription-key': 'k-seg' });
      expect(r.status).to.equal(403);
      expect(r.text).to.equal('');
      const ok = await h.post(body({ iuv: '02000000000000123' }), { 'ocp-apim-subscription-key': 'k-seg' });
      expect(ok.status).to.equal(200);
    });

    it('answers 404 ApiConfig Invocation exception for an EC unknown to the configuration', async () => {
      const r = await h.post(body({ paFiscalCode: '12345678901' }));
      expect(r.status).to.equal(404);
      expect(r.json).to.deep.equal({ status: 404, title: 'ApiConfig Invocation exception', detail: 'Creditor institution code: 12345678901 not found' });
    });

    it('answers 500 when there is no iban and the EC has no IBAN labelled ACA; with ibanFallback latest the newest IBAN is used', async () => {
      const r = await h.post(body({ paFiscalCode: '11111111111' }));
      expect(r.status).to.equal(500);
      expect(r.json).to.deep.equal({
        status: 500,
        title: 'ApiConfig Invocation exception',
        detail: 'No iban found for creditor institution with code: 11111111111',
      });
      await h.app.close();
      const reg = base();
      reg.creditorInstitutions.find((c) => c.fiscalCode === '11111111111')!.ibans = ['IT60X0542811101000000654321', 'IT02L1234512345123456789099'];
      h = await harness({ ibanFallback: 'latest' }, reg);
      const latest = await h.post(body({ paFiscalCode: '11111111111' }));
      expect(latest.status).to.equal(200);
      expect(latest.json.iban).to.equal('IT02L1234512345123456789099');
    });
  });

  describe('create, update, invalidate', () => {
    it('creates an ACA position: 200 DebtPositionResponse without null fields, nav 3+IUV, the ACA IBAN, local expirationDate', async () => {
      const r = await h.post(body());
      expect(r.status).to.equal(200);
      expect(r.json).to.deep.equal({
        paFiscalCode: '77777777777',
        companyName: 'Comune di Esempio',
        entityType: 'F',
        entityFiscalCode: 'RSSMRA80A01H501U',
        entityFullName: 'Mario Rossi',
        iuv: '01000000000000123',
        nav: '301000000000000123',
        amount: 10000,
        description: 'TARI 2026',
        expirationDate: '2026-12-31T23:59:59',
        iban: 'IT02L1234512345123456789012',
        switchToExpired: false,
        status: 'VALID',
      });
      const [p] = h.aca.positions();
      expect(p!.iupd).to.equal('ACA_77777777777_01000000000000123');
      expect(p!.serviceType).to.equal('ACA');
      expect(p!.payStandIn).to.equal(true);
      expect(p!.paymentOption[0]!.transfer).to.deep.equal([
        {
          idTransfer: '1',
          amount: 10000,
          organizationFiscalCode: '77777777777',
          remittanceInformation: 'TARI 2026',
          category: 'STAND-IN',
          iban: 'IT02L1234512345123456789012',
        },
      ]);
    });

    it('is idempotent: the same request twice leaves one position with the same content', async () => {
      const a = await h.post(body({ nav: '301000000000000123', postalIban: 'IT57N0760101600000012345678', payStandIn: false }));
      const b = await h.post(body({ nav: '301000000000000123', postalIban: 'IT57N0760101600000012345678', payStandIn: false }));
      expect(b.status).to.equal(200);
      expect(b.json).to.deep.equal(a.json);
      expect(h.aca.positions()).to.have.length(1);
      expect(h.aca.positions()[0]!.payStandIn).to.equal(false);
    });

    it('updates an existing position (amount, due date) and, with updateDropsFields, drops nav, switchToExpired and postalIban as the code does', async () => {
      await h.post(body({ nav: '311000000000000123', switchToExpired: true, postalIban: 'IT57N0760101600000012345678' }));
      const upd = await h.post(
        body({
          amount: 12345,
          nav: '311000000000000123',
          switchToExpired: true,
          postalIban: 'IT57N0760101600000012345678',
          expirationDate: '2027-01-31T12:00:00Z',
        }),
      );
      expect(upd.status).to.equal(200);
      expect(upd.json).to.include({
        amount: 12345,
        nav: '311000000000000123',
        switchToExpired: true,
        postalIban: 'IT57N0760101600000012345678',
        expirationDate: '2027-01-31T12:00:00',
      });
      await h.app.close();
      h = await harness({ updateDropsFields: true });
      await h.post(body({ nav: '311000000000000123', switchToExpired: true, postalIban: 'IT57N0760101600000012345678' }));
      const dropped = await h.post(body({ amount: 12345, nav: '311000000000000123', switchToExpired: true, postalIban: 'IT57N0760101600000012345678' }));
      expect(dropped.json).to.include({ nav: '301000000000000123', switchToExpired: false });
      expect(dropped.json).not.to.have.property('postalIban');
    });

    it('invalidates with amount 0 (status INVALID), then answers 409 Unauthorized action for any further call', async () => {
      await h.post(body());
      const inv = await h.post(body({ amount: 0 }));
      expect(inv.status).to.equal(200);
      expect(inv.json.status).to.equal('INVALID');
      for (const amount of [0, 500]) {
        const again = await h.post(body({ amount }));
        expect(again.status).to.equal(409);
        expect(again.json).to.deep.equal({
          status: 409,
          title: 'Unauthorized action',
          detail: 'Unauthorized action on debt position with iuv: 01000000000000123',
        });
      }
    });

    it('answers 422 Unprocessable request for amount 0 when there is no position', async () => {
      const r = await h.post(body({ amount: 0 }));
      expect(r.status).to.equal(422);
      expect(r.json).to.deep.equal({ status: 422, title: 'Unprocessable request', detail: 'Can not perform the requested action on debit position' });
    });

    it('answers 409 Unauthorized action for a paid position', async () => {
      await h.post(body());
      h.gpd.store.markPaid('77777777777', '301000000000000123', { receiptId: 'r1', version: 'V2' });
      const r = await h.post(body({ amount: 200 }));
      expect(r.status).to.equal(409);
      expect(r.json.title).to.equal('Unauthorized action');
    });

    it('updates an EXPIRED position, and refuses to invalidate one (GPD 409 → Invocation exception)', async () => {
      await h.post(body({ switchToExpired: true, expirationDate: '2026-01-20T00:00:00Z' }));
      h.clock.advance(10 * 86_400_000);
      expect(
        h.gpd.store.get('77777777777', 'ACA_77777777777_01000000000000123').ok &&
          (h.gpd.store.get('77777777777', 'ACA_77777777777_01000000000000123') as any).value.status,
      ).to.equal('EXPIRED');
      const zero = await h.post(body({ amount: 0 }));
      expect(zero.status).to.equal(409);
      expect(zero.json).to.deep.equal({ status: 409, title: 'Invocation exception', detail: 'Error while invalidate debit position conflict into request' });
      const upd = await h.post(body({ amount: 700, switchToExpired: true, expirationDate: '2026-12-31T00:00:00Z' }));
      expect(upd.status).to.equal(200);
      expect(upd.json).to.include({ amount: 700, status: 'VALID' });
    });

    it("relays GPD's refusals: 400 Invocation exception (GPD validation) and 409 (IUV of another position)", async () => {
      const bad = await h.post(body({ iuv: 'ABC' }));
      expect(bad.status).to.equal(400);
      expect(bad.json).to.deep.equal({ status: 400, title: 'Invocation exception', detail: 'Bad request' });
      h.gpd.createPosition('77777777777', {
        iupd: 'GPD-1',
        type: 'F',
        fiscalCode: 'RSSMRA80A01H501U',
        fullName: 'Mario Rossi',
        companyName: 'Comune di Esempio',
        paymentOption: [
          {
            iuv: '01000000000000999',
            amount: 100,
            description: 'x',
            isPartialPayment: false,
            dueDate: '2026-12-31',
            transfer: [{ idTransfer: '1', amount: 100, remittanceInformation: 'x', category: '0101101IM', iban: 'IT60X0542811101000000123456' }],
          },
        ],
      });
      const dup = await h.post(body({ iuv: '01000000000000999' }));
      expect(dup.status).to.equal(409);
      expect(dup.json).to.deep.equal({ status: 409, title: 'Invocation exception', detail: 'Error while create debit position conflict into request' });
    });
  });

  describe('journal and control API', () => {
    it('records every call (party aca) with the why, and lists ACA positions and subscriptions', async () => {
      await h.post(body(), {});
      await h.post(body());
      const calls = h.aca.calls();
      expect(calls.map((c) => c.httpStatus)).to.deep.equal([401, 200]);
      expect(calls[1]!.meta).to.include({ idPA: '77777777777', noticeNumber: '301000000000000123', iupd: 'ACA_77777777777_01000000000000123' });
      expect(calls[1]!.notes.join(' ')).to.match(/created ACA_77777777777_01000000000000123/);
      const positions = await (await fetch(`${h.app.baseUrl}/_control/aca/positions`)).json();
      expect(positions[0].position.nav).to.equal('301000000000000123');
      const put = await fetch(`${h.app.baseUrl}/_control/aca/subscriptions`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([{ key: 'x', fiscalCodes: ['123'] }]),
      });
      expect(put.status).to.equal(400);
      expect((await put.json()).error).to.match(/^Failed to replace the ACA subscriptions: item 0: fiscalCodes/);
    });
  });
});
