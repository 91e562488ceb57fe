/**
 * Interoperability: a mainstream SOAP client (the npm `soap` package, which knows nothing of our
 * code) loads our `?wsdl` documents, with their XSD imports served over HTTP, and calls both
 * servers: the mock Nodo (nodeForPsp) and a reference station (paForNode).
 */
import { expect } from 'chai';
import soap from 'soap';
import { join } from 'node:path';
import { SCENARIOS_DIR } from '../../src/paths.ts';
import { loadRegistry } from '../../src/nodo/registry.ts';
import { loadPositionsFile } from '../../src/station/index.ts';
import { createWorld, type World } from '../../src/world.ts';

type AsyncOp = (args: unknown) => Promise<[Record<string, any>]>;
const op = (client: soap.Client, name: string): AsyncOp => (client as unknown as Record<string, AsyncOp>)[`${name}Async`]!;

describe('interop: the npm soap client against our ?wsdl', () => {
  let world: World;
  before(async () => {
    const reg = loadRegistry(join(SCENARIOS_DIR, 'fixtures', 'registry.default.yaml'));
    if (!reg.ok) throw new Error('default registry invalid');
    const pos = loadPositionsFile(join(SCENARIOS_DIR, 'fixtures', 'positions.default.yaml'));
    if (!pos.ok) throw new Error('default positions invalid');
    world = createWorld({ registry: reg.registry, positions: pos.config });
    await world.start();
  });
  after(() => world.stop());

  const psp = { idPSP: '88888888888', idBrokerPSP: '88888888888', idChannel: '88888888888_01', password: 'PLACEHOLDER' };
  const qrCode = { fiscalCode: '77777777777', noticeNumber: '301000000000100121' };

  it('loads the mock Nodo WSDL and pays a notice: verify, activateV2, outcomeV2', async () => {
    const client = await soap.createClientAsync(`${world.nodoUrl}?wsdl`);
    const [verify] = await op(client, 'verifyPaymentNotice')({ ...psp, qrCode });
    expect(verify.outcome).to.equal('OK');
    const [act] = await op(client, 'activatePaymentNoticeV2')({ ...psp, idempotencyKey: '88888888888_abcdeABCDE', qrCode, amount: '100.00' });
    expect(act.outcome).to.equal('OK');
    expect(act.paymentToken).to.match(/^[0-9a-f]{32}$/);
    const [out] = await op(client, 'sendPaymentOutcomeV2')({
      ...psp,
      paymentTokens: { paymentToken: act.paymentToken },
      outcome: 'OK',
      details: { paymentMethod: 'creditCard', fee: '1.00', applicationDate: '2026-01-15', transferDate: '2026-01-16' },
    });
    expect(out.outcome).to.equal('OK');
    // node-soap's requests were valid against the XSD on the way in.
    const inbound = world.journal.list({ party: 'nodo', direction: 'inbound' });
    expect(inbound.map((e) => e.operation)).to.deep.equal(['verifyPaymentNotice', 'activatePaymentNoticeV2', 'sendPaymentOutcomeV2']);
    expect(inbound.flatMap((e) => e.requestIssues)).to.deep.equal([]);
  });

  it('loads a reference station WSDL and calls paVerifyPaymentNotice', async () => {
    const client = await soap.createClientAsync(`${world.baseUrl}/stations/77777777777_01?wsdl`);
    const other = { fiscalCode: '77777777777', noticeNumber: '301000000000100828' };
    const [res] = await op(client, 'paVerifyPaymentNotice')({ idPA: '77777777777', idBrokerPA: '77777777777', idStation: '77777777777_01', qrCode: other });
    expect(res.outcome).to.equal('OK');
    expect(res.paymentList.paymentOptionDescription.amount).to.equal('10.00');
  });
});
