/**
 * Every operation the served WSDLs advertise (nodeForPsp.wsdl at /nodo, paForNode.wsdl at the
 * reference stations and GPD) is in the operation table with the WSDL's elements, and is either
 * emulated or answered with an XSD-valid KO saying it is not emulated: never an HTTP 500
 * "unknown element" (issue 14).
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EMULATED_OPERATIONS, NOT_EMULATED } from '../../src/nodo/index.ts';
import { WSDL_DIR } from '../../src/paths.ts';
import { callSoap } from '../../src/soap/client.ts';
import { wrap } from '../../src/soap/envelope.ts';
import { operationByName } from '../../src/soap/operations.ts';
import type { BuildObject } from '../../src/xml/build.ts';
import { PSP, startWorld, type World } from './helpers.ts';

/** operation → [request element, response element] (local names) as the WSDL binds them. */
function wsdlOperations(name: string): Map<string, [string, string]> {
  const wsdl = readFileSync(join(WSDL_DIR, `${name}.wsdl`), 'utf8');
  const element = new Map([...wsdl.matchAll(/<wsdl:message name="([^"]+)">\s*<wsdl:part [^>]*element="[^":]+:([^"]+)"/g)].map((m) => [m[1]!, m[2]!]));
  const portType = wsdl.slice(wsdl.indexOf('<wsdl:portType'), wsdl.indexOf('</wsdl:portType>'));
  const out = new Map<string, [string, string]>();
  for (const m of portType.matchAll(
    /<wsdl:operation name="([^"]+)">\s*<wsdl:input message="tns:([^"]+)"[^>]*>(?:<\/wsdl:input>)?\s*<wsdl:output\s+message="tns:([^"]+)"/g,
  ))
    out.set(m[1]!, [element.get(m[2]!)!, element.get(m[3]!)!]);
  return out;
}

describe('the operations of the served WSDLs (issue 14)', () => {
  for (const [name, iface] of [
    ['nodeForPsp', 'nodeForPsp'],
    ['paForNode', 'paForNode'],
  ] as const) {
    it(`${name}.wsdl: every operation is in the operation table with the WSDL's request and response elements`, () => {
      const ops = wsdlOperations(name);
      expect(ops.size).to.be.greaterThan(5);
      for (const [op, [request, response]] of ops) {
        const def = operationByName(op);
        expect(def, op).not.to.equal(undefined);
        expect([def!.iface, def!.request, def!.response], op).to.deep.equal([iface, request, response]);
      }
    });
  }

  it('nodeForPsp.wsdl: every operation is emulated or listed as not emulated', () => {
    const ops = [...wsdlOperations('nodeForPsp').keys()].sort();
    expect([...EMULATED_OPERATIONS, ...NOT_EMULATED].sort()).to.deep.equal(ops);
    for (const op of ['demandPaymentNotice', 'nodoChiediCatalogoServiziV2']) expect(EMULATED_OPERATIONS).to.include(op);
  });

  describe('over HTTP', () => {
    let w: World;
    before(async () => {
      w = await startWorld();
    });
    after(() => w.close());

    const cred = { identificativoPSP: PSP.idPSP, identificativoIntermediarioPSP: PSP.idBrokerPSP, identificativoCanale: PSP.idChannel, password: PSP.password };
    const requests: Record<(typeof NOT_EMULATED)[number], Record<string, unknown>> = {
      nodoInviaFlussoRendicontazione: {
        ...cred,
        identificativoDominio: '77777777777',
        identificativoFlusso: '2026-01-15PSP-1',
        dataOraFlusso: '2026-01-15T10:00:00',
        xmlRendicontazione: 'PGZsdXNzby8+',
      },
      nodoChiediTemplateInformativaPSP: cred,
      nodoChiediInformativaPA: { ...cred, identificativoDominio: '77777777777' },
    };
    for (const op of NOT_EMULATED) {
      it(`${op}: HTTP 200 and an XSD-valid KO whose description says it is not emulated`, async () => {
        const def = operationByName(op)!;
        const envelope = wrap({ [`ppt:${def.request}`]: { '@_xmlns:ppt': def.ns, ...requests[op] } as BuildObject });
        const r = await callSoap({ url: `${w.base}/nodo`, soapAction: op, envelope, timeoutMs: 3000, expectResponse: def.response });
        if (!r.ok) throw new Error(`${op}: ${r.kind} ${r.message}`);
        expect(r.status).to.equal(200);
        const fault = r.message.bodyChild.value['fault'] as Record<string, string>;
        expect(fault['faultCode']).to.equal('PPT_SYSTEM_ERROR');
        expect(fault['description']).to.contain(`${op} is not emulated by the mock Nodo`);
        expect(r.message.bodyChild.ns).to.equal('http://ws.pagamenti.telematici.gov/');
        const rec = w.journal.list({ party: 'nodo', operation: op }).at(-1)!;
        expect([rec.requestIssues, rec.responseIssues]).to.deep.equal([[], []]);
      });
    }
  });
});
