import { expect } from 'chai';
import { outcomeDetailsFromXml, paSendRTReqBody, paSendRTV2RequestBody, type BuiltBody, type ReceiptData } from '../../src/nodo/receipts/receipt.ts';
import { unwrap, wrap } from '../../src/soap/envelope.ts';
import { buildXml } from '../../src/xml/build.ts';
import { pick, type XmlObject } from '../../src/xml/read.ts';
import { EC_A, EC_B, receiptInput, transfer } from './helpers/receiptsFixtures.ts';

const header = { idPA: EC_B, idBrokerPA: EC_B, idStation: `${EC_B}_01` };

function data(over: Parameters<typeof receiptInput>[0] = {}): ReceiptData {
  return {
    input: receiptInput(over),
    psp: {
      idPSP: '88888888888',
      idChannel: '88888888888_01',
      PSPCompanyName: 'PSP Demo SpA',
      channelDescription: 'app',
      pspFiscalCode: '88888888888',
      pspPartitaIVA: '88888888888',
    },
    companyName: 'Comune di Esempio',
  };
}

function validated(b: BuiltBody): { xml: string; value: XmlObject; issues: unknown[] } {
  if (!b.ok) throw new Error(`expected a body, got: ${b.reason}`);
  const xml = wrap(buildXml(b.body));
  const un = unwrap(xml);
  if (!un.ok) throw new Error(un.problem.message);
  return { xml, value: un.message.bodyChild.value, issues: un.message.issues };
}

const STAMP_REQUEST = { hashDocumento: '7cXyzDyVsqi6TwCqk9T9P4BHTRtZpwj8CAyk2bTK0vg=', tipoBollo: '01', provinciaResidenza: 'RM' };
const MBD = 'PG1hcmNhRGFCb2xsbz4uLi48L21hcmNhRGFCb2xsbz4=';

describe('nodo/receipts: receipt bodies (paSendRTReq, paSendRTV2Request)', () => {
  it('builds an XSD-valid paSendRTV2Request with every optional field, in schema order', () => {
    const d = data({
      transfers: [
        transfer('1', EC_A, '100.00', { companyName: 'Comune', metadata: { mapEntry: [{ key: 'RC_TIP_1', value: 'INCASSO_TIPICO' }] } }),
        transfer('2', EC_A, '16.00', { IBAN: undefined, richiestaMarcaDaBollo: STAMP_REQUEST, transferCategory: '9/0301116TS/9/24B0060000000017' }),
      ],
    });
    d.input.outcome.stamps = [{ idTransfer: '2', MBDAttachment: MBD }];
    const r = validated(paSendRTV2RequestBody(d, header));
    expect(r.issues).to.deep.equal([]);
    expect(pick(r.value, 'idPA')).to.equal(EC_B);
    expect(pick(r.value, 'receipt.fiscalCode')).to.equal(EC_A);
    expect(pick(r.value, 'receipt.receiptId')).to.equal('c110729d258c4ab1b765fe902aae41d6');
    expect(pick(r.value, 'receipt.transferList.transfer.1.MBDAttachment')).to.equal(MBD);
    expect(pick(r.value, 'receipt.transferList.transfer.0.metadata.mapEntry.0.key')).to.equal('RC_TIP_1');
    expect(pick(r.value, 'receipt.metadata.mapEntry.0.key')).to.equal('NOTIFICATION_FEE');
    expect(pick(r.value, 'receipt.standIn')).to.equal('false');
    expect(r.xml.indexOf('<paymentNote>')).to.be.greaterThan(r.xml.indexOf('<paymentMethod>'));
    expect(r.xml.indexOf('<idCiBundle>')).to.be.lessThan(r.xml.indexOf('<paymentDateTime>'));
  });

  it('builds an XSD-valid paSendRTReq without the V2-only fields', () => {
    const r = validated(paSendRTReqBody(data(), header));
    expect(r.issues).to.deep.equal([]);
    expect(r.xml).not.to.match(/paymentNote|primaryCiIncurredFee|idBundle|MBDAttachment/);
    expect(pick(r.value, 'receipt.fee')).to.equal('2.00');
    expect(pick(r.value, 'receipt.transferList.transfer.2.fiscalCodePA')).to.equal('33333333333');
  });

  it('drops transfer companyName in V1 (ctTransferPA has none) and stays valid', () => {
    const r = validated(paSendRTReqBody(data({ transfers: [transfer('1', EC_A, '10.00', { companyName: 'Comune' })] }), header));
    expect(r.issues).to.deep.equal([]);
  });

  it('refuses a V1 receipt for a payment with a stamp, saying why', () => {
    const d = data({ transfers: [transfer('1', EC_A, '16.00', { IBAN: undefined, richiestaMarcaDaBollo: STAMP_REQUEST })] });
    d.input.outcome.stamps = [{ idTransfer: '1', MBDAttachment: MBD }];
    const b = paSendRTReqBody(d, header);
    expect(b.ok).to.equal(false);
    expect(b.ok ? '' : b.reason).to.equal(
      'paSendRT (V1) cannot carry the digital stamp of transfer 1 (ctTransferPA has IBAN only, no MBDAttachment); configure the station with primitiveVersion 2 to receive stamp receipts',
    );
  });

  it('refuses a V2 receipt when the PSP sent no marcaDaBollo for a stamp transfer', () => {
    const b = paSendRTV2RequestBody(data({ transfers: [transfer('1', EC_A, '16.00', { IBAN: undefined, richiestaMarcaDaBollo: STAMP_REQUEST })] }), header);
    expect(b.ok ? '' : b.reason).to.match(/no marcaDaBollo for idTransfer 1/);
  });

  it('reads outcome details from a sendPaymentOutcomeV2Request, keeping only the stamps of the token', () => {
    const xml = `<nfp:sendPaymentOutcomeV2Request xmlns:nfp="http://pagopa-api.pagopa.gov.it/node/nodeForPsp.xsd">
  <idPSP>88888888888</idPSP><idBrokerPSP>88888888888</idBrokerPSP><idChannel>88888888888_01</idChannel><password>PLACEHOLDER</password>
  <paymentTokens><paymentToken>tokA</paymentToken><paymentToken>tokB</paymentToken></paymentTokens>
  <outcome>OK</outcome>
  <details><paymentMethod>creditCard</paymentMethod><paymentChannel>app</paymentChannel><fee>2.00</fee><primaryCiIncurredFee>0.50</primaryCiIncurredFee><idBundle>1</idBundle>
  <applicationDate>2026-10-01</applicationDate><transferDate>2026-10-02</transferDate>
  <marcheDaBollo><marcaDaBollo><paymentToken>tokA</paymentToken><idTransfer>2</idTransfer><MBDAttachment>${MBD}</MBDAttachment></marcaDaBollo>
  <marcaDaBollo><paymentToken>tokB</paymentToken><idTransfer>1</idTransfer><MBDAttachment>${MBD}</MBDAttachment></marcaDaBollo></marcheDaBollo></details>
</nfp:sendPaymentOutcomeV2Request>`;
    const un = unwrap(xml, { allowBare: true });
    if (!un.ok) throw new Error(un.problem.message);
    expect(un.message.issues).to.deep.equal([]);
    const o = outcomeDetailsFromXml(un.message.bodyChild.value['details'] as XmlObject, 'tokA');
    expect(o).to.deep.include({ paymentMethod: 'creditCard', fee: '2.00', primaryCiIncurredFee: '0.50', idBundle: '1', applicationDate: '2026-10-01' });
    expect(o.stamps).to.deep.equal([{ idTransfer: '2', MBDAttachment: MBD }]);
  });
});
