import { expect } from 'chai';
import type { ManualClock } from '../../src/clock.ts';
import { Journal } from '../../src/soap/exchange.ts';
import { createGpd, type Gpd } from '../../src/gpd/gpd.ts';
import { call, EC, OTHER_EC, position, startApp, startGpd, type Started } from '../send/helpers.ts';

describe('send/GPD REST emulator', () => {
  let app: Started;
  let gpd: Gpd;
  let journal: Journal;
  let clock: ManualClock;
  const url = (path: string) => `${app.baseUrl}/gpd/organizations/${EC}${path}`;

  before(async () => {
    ({ app, gpd, journal, clock } = await startGpd());
  });
  after(() => app.close());
  beforeEach(() => gpd.reset());

  describe('debt positions', () => {
    it('creates a draft, publishes it (VALID), gets and lists it', async () => {
      const created = await call('POST', url('/debtpositions'), position('P1', '01000000000000001'));
      expect(created.status).to.equal(201);
      expect(created.body.status).to.equal('DRAFT');
      expect(created.body.paymentOption[0].nav).to.equal('301000000000000001');
      expect(created.body.paymentOption[0].notificationFee).to.equal(0);
      const pub = await call('POST', url('/debtpositions/P1/publish'));
      expect(pub.status).to.equal(200);
      expect(pub.body.status).to.equal('VALID');
      expect((await call('GET', url('/debtpositions/P1'))).body.status).to.equal('VALID');
      const list = await call('GET', url('/debtpositions'));
      expect(list.body.payment_position_list.map((p: { iupd: string }) => p.iupd)).to.deep.equal(['P1']);
      expect((await call('GET', url('/debtpositions?status=DRAFT'))).body.payment_position_list).to.have.length(0);
    });

    it('publishes at creation with toPublish=true, and refuses to publish twice (409)', async () => {
      const created = await call('POST', url('/debtpositions?toPublish=true'), position('P2', '01000000000000002'));
      expect(created.body.status).to.equal('VALID');
      const again = await call('POST', url('/debtpositions/P2/publish'));
      expect(again.status).to.equal(409);
      expect(again.contentType).to.match(/application\/problem\+json/);
      expect(again.body.detail).to.equal('Failed to publish debt position P2: it is VALID, not DRAFT. Publish only drafts.');
    });

    it('stays PUBLISHED until validityDate, then VALID', async () => {
      await call('POST', url('/debtpositions'), position('P3', '01000000000000003', { validityDate: '2026-03-01T11:00:00Z' }));
      expect((await call('POST', url('/debtpositions/P3/publish'))).body.status).to.equal('PUBLISHED');
      clock.advance(3_600_000);
      expect((await call('GET', url('/debtpositions/P3'))).body.status).to.equal('VALID');
    });

    it('updates (back to DRAFT), invalidates and deletes', async () => {
      await call('POST', url('/debtpositions?toPublish=true'), position('P4', '01000000000000004'));
      const upd = position('P4', '01000000000000004');
      upd.paymentOption[0]!.description = 'TARI 2026 (rettifica)';
      const updated = await call('PUT', url('/debtpositions/P4'), upd);
      expect(updated.status).to.equal(200);
      expect(updated.body.status).to.equal('DRAFT');
      expect(updated.body.paymentOption[0].description).to.equal('TARI 2026 (rettifica)');
      expect((await call('POST', url('/debtpositions/P4/invalidate'))).status).to.equal(409);
      await call('POST', url('/debtpositions/P4/publish'));
      expect((await call('POST', url('/debtpositions/P4/invalidate'))).body.status).to.equal('INVALID');
      expect((await call('DELETE', url('/debtpositions/P4'))).status).to.equal(200);
      expect((await call('GET', url('/debtpositions/P4'))).status).to.equal(404);
    });

    it('refuses a duplicated iupd or IUV with 409', async () => {
      await call('POST', url('/debtpositions'), position('P5', '01000000000000005'));
      expect((await call('POST', url('/debtpositions'), position('P5', '01000000000000099'))).status).to.equal(409);
      const dupIuv = await call('POST', url('/debtpositions'), position('P6', '01000000000000005'));
      expect(dupIuv.status).to.equal(409);
      expect(dupIuv.body.detail).to.contain('notice 301000000000000005 already belongs to another position');
    });

    it('answers 400 problem+json for schema errors, inconsistent amounts and malformed JSON', async () => {
      const bad = await call('POST', url('/debtpositions'), { iupd: 'X', type: 'Z', paymentOption: [] });
      expect(bad.status).to.equal(400);
      expect(bad.contentType).to.match(/problem\+json/);
      expect(bad.body.detail).to.match(/^Failed to validate the debt position: .*must have required property 'fiscalCode'.*\. Fix the body and retry\.$/);
      const sum = position('P7', '01000000000000007');
      sum.paymentOption[0]!.amount = 9999;
      expect((await call('POST', url('/debtpositions'), sum)).body.detail).to.equal(
        'Failed to create debt position P7: payment option 01000000000000007: the transfer amounts add up to 10000 but amount is 9999. Fix the body and retry.',
      );
      const malformed = await call('POST', url('/debtpositions'), '{"iupd":');
      expect(malformed.status).to.equal(400);
      expect(malformed.body.detail).to.match(/^Failed to read the JSON body: /);
      const reserved = position('P8', '01000000000000008');
      reserved.paymentOption[0]!.paymentOptionMetadata = [{ key: 'NOTIFICATION_FEE', value: '5' }];
      expect((await call('POST', url('/debtpositions'), reserved)).status).to.equal(400);
    });

    it('records every call in the journal with party gpd', async () => {
      const before = journal.lastSeq;
      await call('POST', url('/debtpositions'), position('P9', '01000000000000009'));
      const recs = journal.list({ party: 'gpd', since: before });
      expect(recs.map((r) => [r.operation, r.httpStatus])).to.deep.equal([['createPosition', 201]]);
      expect(recs[0]!.meta['iupd']).to.equal('P9');
    });
  });

  describe('PUT paymentoptions/{nav}/notificationfee (docs/send.md §3.3)', () => {
    const fee = (nav: string, body: unknown) => call('PUT', url(`/paymentoptions/${nav}/notificationfee`), body);
    const NAV = '301000000000000010';
    beforeEach(async () => {
      await call('POST', url('/debtpositions?toPublish=true'), position('F1', '01000000000000010'));
    });

    it('200: adds the fee to the amount and to the primary transfer, then replaces it', async () => {
      const first = await fee(NAV, { notificationFee: 200 });
      expect(first.status).to.equal(200);
      expect(first.body.amount).to.equal(10200);
      expect(first.body.notificationFee).to.equal(200);
      expect(first.body.transfer.map((t: { amount: number }) => t.amount)).to.deep.equal([8200, 2000]);
      expect(first.body.paymentOptionMetadata).to.deep.include({ key: 'NOTIFICATION_FEE', value: '200' });
      const second = await fee(NAV, { notificationFee: 2557 });
      expect(second.body.amount).to.equal(12557);
      expect(second.body.transfer[0].amount).to.equal(10557);
      const reset = await fee(NAV, { notificationFee: 0 });
      expect(reset.body.amount).to.equal(10000);
      expect(reset.body.transfer[0].amount).to.equal(8000);
    });

    it('matches the IUV too (backward compatibility)', async () => {
      expect((await fee('01000000000000010', { notificationFee: 100 })).status).to.equal(200);
    });

    it('209 when a payment is in progress (still updated)', async () => {
      gpd.store.setPaymentInProgress(EC, NAV, true);
      const r = await fee(NAV, { notificationFee: 300 });
      expect(r.status).to.equal(209);
      expect(r.body.amount).to.equal(10300);
    });

    it('injected failures through the control API: a malformed one is a 400 naming notificationfee, DELETE clears them', async () => {
      const base = `${app.baseUrl}/_control/gpd/notificationfee-injections`;
      const bad = await call('POST', base, { status: 200 });
      expect(bad.status).to.equal(400);
      expect(bad.body.detail).to.equal(
        'Failed to add a notificationfee injection: status must be an HTTP error code (400-599) and latencyMs a non-negative integer. Fix the body.',
      );
      const added = await call('POST', base, { status: 503, times: 1 });
      expect([added.status, added.body]).to.deep.equal([201, [{ status: 503, times: 1 }]]);
      expect((await fee(NAV, { notificationFee: 100 })).status).to.equal(503);
      await call('POST', base, { status: 500 });
      expect((await call('DELETE', base)).status).to.equal(204);
      expect((await fee(NAV, { notificationFee: 100 })).status).to.equal(200);
    });

    it('209 when the injected Nodo check says a payment is in progress', async () => {
      const j = new Journal();
      const g = createGpd({ journal: j, clock, paymentInProgress: (org, nav) => org === EC && nav === NAV });
      const a = await startApp(g.router);
      try {
        g.createPosition(EC, position('F1', '01000000000000010'));
        const r = await call('PUT', `${a.baseUrl}/gpd/organizations/${EC}/paymentoptions/${NAV}/notificationfee`, { notificationFee: 1 });
        expect(r.status).to.equal(209);
      } finally {
        await a.close();
      }
    });

    it('404 when the notice is not in GPD', async () => {
      const r = await fee('301000000000000999', { notificationFee: 100 });
      expect(r.status).to.equal(404);
      expect(r.body.title).to.equal('PAYMENT_OPTION_NOT_FOUND');
      expect((await call('PUT', `${app.baseUrl}/gpd/organizations/${OTHER_EC}/paymentoptions/${NAV}/notificationfee`, { notificationFee: 1 })).status).to.equal(
        404,
      );
    });

    it('422 when the option is already paid', async () => {
      gpd.store.markPaid(EC, NAV, { receiptId: 'r1', version: 'V2' });
      const r = await fee(NAV, { notificationFee: 100 });
      expect(r.status).to.equal(422);
      expect(r.body.title).to.equal('PAYMENT_OPTION_NOTIFICATION_FEE_UPDATE_NOT_UPDATABLE');
    });

    it('422 when there is no primary transfer (every transfer is for another EC)', async () => {
      const p = position('F2', '01000000000000011');
      p.paymentOption[0]!.transfer = [
        {
          idTransfer: '1',
          amount: 10000,
          organizationFiscalCode: OTHER_EC,
          remittanceInformation: 'x',
          category: '0101101IM',
          iban: 'IT60X0542811101000000654321',
        },
      ];
      await call('POST', url('/debtpositions?toPublish=true'), p);
      const r = await fee('301000000000000011', { notificationFee: 100 });
      expect(r.status).to.equal(422);
      expect(r.body.title).to.equal('PAYMENT_OPTION_NOTIFICATION_FEE_UPDATE_TRANSFER_NOT_FOUND');
    });

    it('400 when the fee is negative, missing or not an integer', async () => {
      for (const body of [{ notificationFee: -1 }, {}, { notificationFee: 'ten' }, { notificationFee: 1.5 }]) {
        const r = await fee(NAV, body);
        expect(r.status, JSON.stringify(body)).to.equal(400);
        expect(r.contentType).to.match(/problem\+json/);
      }
      expect(gpd.store.findOption(EC, NAV)!.option.amount).to.equal(10000);
    });

    it('keeps the fee across an update of the position', async () => {
      await fee(NAV, { notificationFee: 200 });
      const r = await call('PUT', url('/debtpositions/F1?toPublish=true'), position('F1', '01000000000000010'));
      expect(r.body.paymentOption[0].amount).to.equal(10200);
      expect(r.body.paymentOption[0].notificationFee).to.equal(200);
    });

    it('GET paymentoptions/{nav} always carries NOTIFICATION_FEE metadata', async () => {
      const r = await call('GET', url(`/paymentoptions/${NAV}`));
      expect(r.status).to.equal(200);
      expect(r.body.paymentOptionMetadata).to.deep.equal([{ key: 'NOTIFICATION_FEE', value: '0' }]);
    });
  });
});
