import { expect } from 'chai';
import { callSoap, type CallResult } from '../../src/soap/client.ts';
import { wrap } from '../../src/soap/envelope.ts';
import { operationByName } from '../../src/soap/operations.ts';
import type { BuildObject } from '../../src/xml/build.ts';
import { NS } from '../../src/xml/schemas.ts';
import { activateReq, bodyOf, EC, notice, position, startWorld, verifyReq, type World } from './helpers.ts';

const NN = notice(3, '01', 41);

/**
 * Issue 18 item 3: the reproducers, over HTTP through the mock Nodo. Each request is
 * schema-valid; before the fix the handlers read a second parse that disagreed with it.
 */
describe('nodo: what was validated is what is read (issue 18 item 3, over HTTP)', () => {
  let w: World;
  before(async () => {
    w = await startWorld({ positions: [position(EC, NN)] });
  });
  after(async () => w.close());
  beforeEach(() => w.nodo.reset());

  /** Sends the request built from `fields`, after `edit` rewrote its XML text. */
  function send(operation: string, fields: BuildObject, edit: (xml: string) => string, header = ''): Promise<CallResult> {
    const op = operationByName(operation)!;
    let envelope = edit(wrap({ [`nfp:${op.request}`]: { '@_xmlns:nfp': NS.nodeForPsp, ...fields } }));
    if (header) envelope = envelope.replace('<soapenv:Header/>', `<soapenv:Header>${header}</soapenv:Header>`);
    return callSoap({ url: `${w.base}/nodo`, soapAction: operation, envelope, timeoutMs: 60_000, expectResponse: op.response });
  }
  const ok = (r: CallResult) => {
    const b = bodyOf(r);
    expect(b['outcome'], JSON.stringify(b['fault'])).to.equal('OK');
    return b;
  };

  it('a character reference in noticeNumber (&#51;01...) finds the notice: OK, not PAA_PAGAMENTO_SCONOSCIUTO', async () => {
    ok(await send('verifyPaymentNotice', verifyReq(EC, NN), (x) => x.replace(`<noticeNumber>${NN}`, `<noticeNumber>&#${NN.charCodeAt(0)};${NN.slice(1)}`)));
    const out = w.journal.list({ party: 'nodo', direction: 'outbound' }).at(-1)!;
    expect(out.request).to.contain(`<noticeNumber>${NN}</noticeNumber>`);
  });

  it('a character reference in amount (1&#48;0.00) is 100.00: OK, not PPT_SYSTEM_ERROR', async () => {
    const b = ok(await send('activatePaymentNoticeV2', activateReq(EC, NN), (x) => x.replace('<amount>100.00</amount>', '<amount>1&#48;0.00</amount>')));
    expect(b['totalAmount']).to.equal('100.00');
  });

  it('a paymentNote of one space is passed on as it is: OK, not PPT_SYSTEM_ERROR', async () => {
    ok(
      await send('activatePaymentNoticeV2', { ...activateReq(EC, NN), paymentNote: 'x' }, (x) =>
        x.replace('<paymentNote>x</paymentNote>', '<paymentNote> </paymentNote>'),
      ),
    );
    const out = w.journal.list({ party: 'nodo', direction: 'outbound', operation: 'paGetPaymentV2' }).at(-1)!;
    expect(out.request).to.contain('<paymentNote> </paymentNote>');
  });

  it('a processing instruction inside a value does not make it missing', async () => {
    ok(
      await send('verifyPaymentNotice', verifyReq(EC, NN), (x) =>
        x.replace(`<fiscalCode>${EC}</fiscalCode>`, `<fiscalCode>${EC.slice(0, 5)}<?pi x?>${EC.slice(5)}</fiscalCode>`),
      ),
    );
  });

  it('an element named constructor in the SOAP Header and in the Body is harmless', async () => {
    ok(await send('verifyPaymentNotice', verifyReq(EC, NN), (x) => x, '<constructor>1</constructor><__proto__><polluted>1</polluted></__proto__>'));
    expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
  });

  it('an element inside a paymentToken (fuzz finding) is a KO, not a handler crash', async () => {
    const r = await send(
      'sendPaymentOutcomeV2',
      {
        idPSP: '88888888888',
        idBrokerPSP: '88888888888',
        idChannel: '88888888888_01',
        password: 'PLACEHOLDER',
        paymentTokens: { paymentToken: 'x' },
        outcome: 'OK',
      },
      (x) => x.replace('<paymentToken>x</paymentToken>', '<paymentToken><toString>1</toString>dcd1520fb189ff5d796e2d316446c7a1</paymentToken>'),
    );
    expect((bodyOf(r)['fault'] as Record<string, string>)['faultCode']).to.equal('PPT_SINTASSI_EXTRAXSD');
  });

  it('a SOAP Header nested 100 deep is served (no "Maximum nested tags exceeded")', async () => {
    ok(await send('verifyPaymentNotice', verifyReq(EC, NN), (x) => x, `${'<h>'.repeat(100)}x${'</h>'.repeat(100)}`));
  });
});
