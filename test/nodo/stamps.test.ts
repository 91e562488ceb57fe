/**
 * Digital stamps in sendPaymentOutcomeV2 (issue 14 item 2): each MBDAttachment is decoded and
 * validated against MarcaDaBollo.xsd (with XML-DSig); any breakage anywhere in the document is
 * PPT_SINTASSI_XSD naming the stamp, the element path and the line:col in the decoded document,
 * and the outcome is not acquired. Over HTTP against the mock Nodo and a reference station.
 */
import { expect } from 'chai';
import { stampDocument, type StampBreak, type StampFields } from '../../src/scenario/stamp.ts';
import { activateReq, bodyOf, EC, faultOf, IBAN, outcomeV2Req, position, startWorld, transfer, type World } from './helpers.ts';

const NN = '301000000000100424';
const HASH = '7cXyzDyVsqi6TwCqk9T9P4BHTRtZpwj8CAyk2bTK0vg=';
const FIELDS: StampFields = {
  codiceFiscale: '88888888888',
  denominazione: 'PSP Demo SpA',
  iubd: '01234567890123',
  oraAcquisto: '2026-01-15T10:00:00Z',
  importo: '16.00',
  hashDocumento: HASH,
};
const DETAILS = { paymentMethod: 'creditCard', paymentChannel: 'app', fee: '1.00', applicationDate: '2026-01-15', transferDate: '2026-01-16' };

function attachment(b?: StampBreak): string {
  const d = stampDocument(FIELDS, b);
  if (!d.ok) throw new Error(d.why);
  return d.base64;
}

describe('nodo: digital stamps are validated against MarcaDaBollo.xsd (issue 14 item 2)', () => {
  let w: World;
  before(async () => {
    const stampTransfer = transfer(EC, 1600, IBAN, {
      iban: undefined,
      stamp: { hashDocumento: HASH, tipoBollo: '01', provinciaResidenza: 'RM' },
      category: '9/0301116TS/9/24B0060000000017',
    });
    w = await startWorld({ positions: [position(EC, NN, [transfer(EC, 10000), stampTransfer])] });
  });
  after(() => w.close());
  beforeEach(() => w.nodo.reset());

  async function activate(): Promise<string> {
    const b = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN, { amount: '116.00' })));
    expect(b['outcome'], JSON.stringify(b['fault'])).to.equal('OK');
    return b['paymentToken'] as string;
  }
  const outcome = (token: string, attachments: string[]) =>
    w.psp(
      'sendPaymentOutcomeV2',
      outcomeV2Req([token], 'OK', {
        details: { ...DETAILS, marcheDaBollo: { marcaDaBollo: attachments.map((a) => ({ paymentToken: token, idTransfer: '2', MBDAttachment: a })) } },
      }),
    );

  const cases: [string, StampBreak, RegExp][] = [
    ['PSP missing', { remove: 'PSP' }, /mdb:IUBD \(line 3:3 of the decoded document\).*Expected is \( \{[^}]+\}PSP \)/],
    ['CodiceFiscale missing', { remove: 'PSP.CodiceFiscale' }, /mdb:PSP\/mdb:Denominazione .*line 4:5.*Expected is \( \{[^}]+\}CodiceFiscale \)/],
    ['CodiceFiscale emptied', { empty: 'PSP.CodiceFiscale' }, /mdb:CodiceFiscale .*minLength/],
    ['IUBD moved after Importo', { move: 'IUBD', after: 'Importo' }, /mdb:OraAcquisto .*not expected/],
    ['OraAcquisto wrong value', { set: 'OraAcquisto', value: 'yesterday' }, /mdb:OraAcquisto .*dateTime/],
    ['Importo wrong value', { set: 'Importo', value: '16.001' }, /mdb:Importo .*fractionDigits/],
    ['TipoBollo wrong value', { set: 'TipoBollo', value: '02' }, /mdb:TipoBollo .*enumeration/],
    ['ImprontaDocumento emptied', { empty: 'ImprontaDocumento' }, /mdb:ImprontaDocumento .*Missing child/],
    [
      'ImprontaDocumento algorithm',
      { set: 'ImprontaDocumento.DigestMethod@Algorithm', value: 'http://www.w3.org/2000/09/xmldsig#sha1' },
      /DigestMethod .*fixed value/,
    ],
    ['Signature missing', { remove: 'Signature' }, /Missing child.*Signature/],
    ['SignedInfo Reference missing', { remove: 'Signature.SignedInfo.Reference' }, /ds:SignedInfo .*Missing child.*Reference/],
    ['SignatureValue wrong value', { set: 'Signature.SignatureValue', value: 'not base64!' }, /ds:SignatureValue .*base64Binary/],
  ];
  for (const [name, b, why] of cases) {
    it(`${name} → PPT_SINTASSI_XSD with the stamp, path and line:col, outcome not acquired`, async () => {
      const token = await activate();
      const f = faultOf(await outcome(token, [attachment(b)]));
      expect(f['faultCode']).to.equal('PPT_SINTASSI_XSD');
      expect(f['id']).to.equal('NodoDeiPagamentiSPC');
      expect(f['serial']).to.equal('1');
      expect(f['description']).to.contain(`details/marcheDaBollo/marcaDaBollo[1] (paymentToken ${token}, idTransfer 2)`);
      expect(f['description']).to.match(why);
      expect(w.nodo.session(token)!.state, 'the token is still open').to.equal('PAYING');
    });
  }

  it('the second of two stamps broken → serial 2; the checks run before the caller checks (syntax first)', async () => {
    const token = await activate();
    const f = faultOf(await outcome(token, [attachment(), attachment({ remove: 'IUBD' })]));
    expect([f['faultCode'], f['serial']]).to.deep.equal(['PPT_SINTASSI_XSD', '2']);
    const wrongPassword = await w.psp('sendPaymentOutcomeV2', {
      ...outcomeV2Req([token], 'OK', {
        details: { ...DETAILS, marcheDaBollo: { marcaDaBollo: { paymentToken: token, idTransfer: '2', MBDAttachment: attachment({ remove: 'IUBD' }) } } },
      }),
      password: 'WRONGPASS1',
    });
    expect(faultOf(wrongPassword)['faultCode']).to.equal('PPT_SINTASSI_XSD');
  });

  it('not XML, or a document with a DOCTYPE, is refused without being expanded', async () => {
    const token = await activate();
    const notXml = faultOf(await outcome(token, [Buffer.from('just text').toString('base64')]));
    expect(notXml['faultCode']).to.equal('PPT_SINTASSI_XSD');
    expect(notXml['description']).to.contain('Not XML');
    const dtd = Buffer.from('<!DOCTYPE x [<!ENTITY e "e">]><marcaDaBollo/>').toString('base64');
    const f = faultOf(await outcome(token, [dtd]));
    expect(f['faultCode']).to.equal('PPT_SINTASSI_XSD');
    expect(f['description']).to.contain('DOCTYPE');
  });

  // Last: it pays the notice (the receipt closes it at the station).
  it('a valid stamp is accepted, the payment closes and the receipt carries it', async () => {
    const token = await activate();
    const stamp = attachment();
    expect(bodyOf(await outcome(token, [stamp]))['outcome']).to.equal('OK');
    expect(w.nodo.session(token)!.state).to.equal('PAID');
    await w.nodo.receipts.whenIdle();
    const r = w.stations.receipts({ noticeNumber: NN, station: '77777777777_01' });
    expect(r.map((x) => (x.receipt['transferList'] as { transfer: { MBDAttachment?: string }[] }).transfer[1]!.MBDAttachment)).to.deep.equal([stamp]);
  });
});
