/**
 * The journal's outcome and fault code of the answers we build are read from their build object
 * (issue 19); they must be what the text of the same answer gives (responseFields), which is what
 * they were read from before.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { wrap } from '../../src/soap/envelope.ts';
import { builtResponseFields, responseFields } from '../../src/soap/responseFields.ts';
import { buildXml, type BuildObject, type BuildValue } from '../../src/xml/index.ts';

const same = (body: BuildObject) => expect(builtResponseFields(body), buildXml(body)).to.deep.equal(responseFields(wrap(buildXml(body))));

describe('soap: outcome and faultCode of our answers, from the object as from the text', () => {
  it('the answers of the station and the Nodo: OK, KO with a fault bean, a SOAP Fault', () => {
    same({ 'pafn:paVerifyPaymentNoticeRes': { '@_xmlns:pafn': 'urn:x', outcome: 'OK', fiscalCodePA: '77777777777' } });
    same({
      'pafn:paVerifyPaymentNoticeRes': { outcome: 'KO', fault: { faultCode: 'PAA_PAGAMENTO_SCONOSCIUTO', faultString: 'x', id: '1', description: 'd' } },
    });
    same({ 'soapenv:Fault': { faultcode: 'soapenv:Client', faultstring: 'bad' } });
    same({
      'nfp:x': {
        outcome: 'NO',
        inner: { outcome: ' KO ' },
        fault: { faultCode: 'a b' },
        list: [{ faultCode: '' }, { faultCode: 'P<1' }, { faultCode: 'PPT_X' }],
      },
    });
    expect(builtResponseFields({ r: { outcome: 'KO', fault: { faultCode: 'PPT_STAZIONE_INT_PA_TIMEOUT' } } })).to.deep.equal({
      outcome: 'KO',
      faultCode: 'PPT_STAZIONE_INT_PA_TIMEOUT',
    });
  });

  it('generated answers: the same fields as the text gives', () => {
    const name = fc.constantFrom('outcome', 'faultCode', 'faultcode', 'fault', 'p:outcome', 'data');
    const scalar = fc.oneof(fc.constantFrom('OK', 'KO', ' OK\n', 'ok', '', ' ', 'PAA_X', 'a b', '<K>', '&', 'OK&KO'), fc.integer(), fc.boolean());
    const { value } = fc.letrec<{ value: BuildValue }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        scalar,
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(name, tie('value'), { maxKeys: 4 }) as fc.Arbitrary<BuildValue>,
        fc.record({ '#text': scalar, '@_a': fc.constantFrom('1', undefined) }) as fc.Arbitrary<BuildValue>,
      ),
    }));
    fc.assert(
      fc.property(value, (v) => {
        same({ 'x:answer': { '@_xmlns:x': 'urn:x', body: v } });
      }),
      { seed: 19, numRuns: 500 },
    );
  });
});
