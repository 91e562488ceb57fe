/**
 * One fault-bean builder (issue 17 item 3): every KO the harness builds (the Nodo's to a PSP, a
 * reference station's and the GPD station's to the Nodo) goes through faultBeanObject, which keeps the
 * schema order and clips the free texts, so no party sends a megabyte of description.
 */
import { expect } from 'chai';
import { koBody as nodoKoBody } from '../../src/nodo/respond.ts';
import { relayPaaFault } from '../../src/nodo/faults.ts';
import { koBody as gpdKoBody } from '../../src/gpd/paForNode/faults.ts';
import { faultBeanObject } from '../../src/soap/fault.ts';
import { operationByName } from '../../src/soap/operations.ts';
import { paaKoBody } from '../../src/soap/paForNodeBody.ts';
import { koBody as stationKoBody } from '../../src/station/faults.ts';

const LONG = 'x'.repeat(5000);
type Bean = Record<string, string | undefined>;
const beanOf = (body: Record<string, unknown>): Bean => (Object.values(body)[0] as { fault: Bean }).fault;

describe('soap: one fault-bean builder', () => {
  it('keeps the schema order and clips description and originalDescription', () => {
    const bean = faultBeanObject({ originalDescription: LONG, description: LONG, id: 'i', faultString: 's', faultCode: 'C' } as never);
    expect(Object.keys(bean)).to.deep.equal([
      'faultCode',
      'faultString',
      'id',
      'description',
      'serial',
      'originalFaultCode',
      'originalFaultString',
      'originalDescription',
    ]);
    expect(bean['description']).to.have.length(1000);
    expect(bean['originalDescription']).to.have.length(1000);
  });

  it('the Nodo, a reference station and the GPD station all clip what they send', () => {
    const verify = operationByName('verifyPaymentNotice')!;
    const paVerify = operationByName('paVerifyPaymentNotice')!;
    const beans = [
      beanOf(nodoKoBody(verify, relayPaaFault({ faultCode: 'PAA_SEMANTICA', faultString: 's', id: '77777777777', description: LONG }, '77777777777', true))),
      beanOf(stationKoBody(paVerify, { faultCode: 'PAA_SEMANTICA', description: LONG }, '77777777777')),
      beanOf(gpdKoBody('paVerifyPaymentNoticeRes', 'PAA_SEMANTICA', '77777777777', LONG)),
    ];
    expect(beans.map((b) => b['description']?.length)).to.deep.equal([1000, 1000, 1000]);
    expect(beans[0]!['originalDescription']).to.have.length(1000);
  });

  it('a PAA fault gets the catalogue faultString and the EC as id (GPD when none is named)', () => {
    expect(beanOf(paaKoBody('paGetPaymentRes', { faultCode: 'PAA_PAGAMENTO_SCADUTO', description: 'd' }, '77777777777'))).to.include({
      faultString: "Pagamento in attesa risulta scaduto all'Ente Creditore.",
      id: '77777777777',
    });
    expect(beanOf(gpdKoBody('paGetPaymentRes', 'PAA_SYSTEM_ERROR', '', 'd'))).to.include({ id: 'GPD', faultString: 'Errore generico.' });
  });
});
