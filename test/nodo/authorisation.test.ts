/**
 * PSP authorisation (issue 14 item 5): the registry says what a channel is enabled for (payment
 * model, payment types); a channel used for something else gets PPT_AUTORIZZAZIONE from the Nodo,
 * before any routing or station call. The default registry keeps every channel enabled for all.
 */
import { expect } from 'chai';
import { parseRegistry, type Registry } from '../../src/nodo/registry.ts';
import { activateReq, bodyOf, defaultRegistry, EC, faultOf, position, PSP, startWorld, verifyReq, type World } from './helpers.ts';

const NN = '301000000000100121';
const stationCalls = (w: World) => w.journal.list({ party: 'nodo', direction: 'outbound' }).length;

function withChannel(patch: Partial<Registry['channels'][number]>) {
  return (r: Registry): Registry => ({ ...r, channels: r.channels.map((c) => (c.channelCode === PSP.idChannel ? { ...c, ...patch } : c)) });
}

describe('nodo: PSP authorisation by payment model and payment type (issue 14 item 5)', () => {
  it('the default registry keeps every channel enabled: model ACTIVATED_AT_PSP, every payment type', () => {
    for (const c of defaultRegistry().channels) {
      expect(c.paymentModel, c.channelCode).to.equal('ACTIVATED_AT_PSP');
      expect(c.paymentTypes, c.channelCode).to.equal(undefined);
    }
  });

  it('the registry refuses an unknown payment model or payment type, at file:line', () => {
    const text = (extra: string) =>
      `pspBrokers: [{ brokerPspCode: "1" }]\npsps: [{ pspCode: "1", businessName: P }]\nchannels:\n  - { channelCode: C, brokerPspCode: "1", pspCode: "1", password: PLACEHOLDER, ${extra} }\n`;
    const model = parseRegistry(text('paymentModel: MODEL3'), 'r.yaml');
    expect(model.ok ? [] : model.issues.map((i) => `${i.code}@${i.line} ${i.path}`)).to.deep.equal(['REG_SCHEMA@4 channels[0].paymentModel']);
    const type = parseRegistry(text('paymentTypes: [PO, CASH]'), 'r.yaml');
    expect(type.ok ? [] : type.issues.map((i) => `${i.code}@${i.line}`)).to.deep.equal(['REG_SCHEMA@4']);
    const ok = parseRegistry(text('paymentModel: IMMEDIATE, paymentTypes: [PO, CP]'), 'r.yaml');
    expect(ok.ok && ok.registry.channels[0]).to.deep.include({ paymentModel: 'IMMEDIATE', paymentTypes: ['PO', 'CP'] });
  });

  describe('a channel of another payment model', () => {
    let w: World;
    before(async () => {
      w = await startWorld({ registry: withChannel({ paymentModel: 'DEFERRED' }), positions: [position(EC, NN)] });
    });
    after(() => w.close());

    it('gets PPT_AUTORIZZAZIONE on verify and activate, without calling the station', async () => {
      for (const [op, req] of [
        ['verifyPaymentNotice', verifyReq(EC, NN)],
        ['activatePaymentNoticeV2', activateReq(EC, NN)],
      ] as const) {
        const f = faultOf(await w.psp(op, req));
        expect(f['faultCode'], op).to.equal('PPT_AUTORIZZAZIONE');
        expect(f['id']).to.equal('NodoDeiPagamentiSPC');
        expect(f['description']).to.contain('payment model DEFERRED');
      }
      expect(stationCalls(w)).to.equal(0);
    });
  });

  describe('a channel enabled for some payment types', () => {
    let w: World;
    before(async () => {
      w = await startWorld({ registry: withChannel({ paymentTypes: ['PO', 'BBT'] }), positions: [position(EC, NN)] });
    });
    after(() => w.close());
    beforeEach(() => w.nodo.reset());

    it('activatePaymentNoticeV2 with another paymentMethod gets PPT_AUTORIZZAZIONE and no paGetPaymentV2', async () => {
      const before = stationCalls(w);
      const f = faultOf(await w.psp('activatePaymentNoticeV2', { ...activateReq(EC, NN), paymentMethod: 'CP', touchPoint: 'PSP' }));
      expect(f['faultCode']).to.equal('PPT_AUTORIZZAZIONE');
      expect(f['description']).to.contain('not enabled for payment type CP (it is for PO, BBT)');
      expect(stationCalls(w)).to.equal(before);
    });

    it('a paymentMethod it is enabled for, and a request naming none, are served', async () => {
      expect(bodyOf(await w.psp('activatePaymentNoticeV2', { ...activateReq(EC, NN), paymentMethod: 'PO', touchPoint: 'PSP' }))['outcome']).to.equal('OK');
      w.nodo.reset();
      expect(bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN)))['outcome']).to.equal('OK');
    });
  });
});
