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
    const [out] = await op(
      client,
      'sendPaymentOutcomeV2',
    )({
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

  it('calls nodoChiediCatalogoServiziV2 and demandPaymentNotice through the served WSDL, then pays the new notice (issue 14)', async () => {
    const client = await soap.createClientAsync(`${world.nodoUrl}?wsdl`);
    const [cat] = await op(
      client,
      'nodoChiediCatalogoServiziV2',
    )({
      identificativoPSP: psp.idPSP,
      identificativoIntermediarioPSP: psp.idBrokerPSP,
      identificativoCanale: psp.idChannel,
      password: psp.password,
      categoria: 'CERTIFICATI',
    });
    expect(cat.outcome).to.equal('OK');
    expect(Buffer.from(cat.xmlCatalogoServizi, 'base64').toString('utf8')).to.contain('<idSoggettoServizio>00001</idSoggettoServizio>');
    const data =
      '<richiestaDiritti xmlns="http://servizi.example.it/diritti-segreteria/1.0"><richiedente><codiceFiscale>RSSMRA80A01H501U</codiceFiscale><nominativo>Mario Rossi</nominativo></richiedente><tipoAtto>CERTIFICATO</tipoAtto><causale>Certificato</causale><importo>16.00</importo></richiestaDiritti>';
    const [dem] = await op(client, 'demandPaymentNotice')({ ...psp, idSoggettoServizio: '00001', datiSpecificiServizio: Buffer.from(data).toString('base64') });
    expect(dem.outcome).to.equal('OK');
    expect(dem.qrCode.fiscalCode).to.equal('77777777777');
    expect(dem.paymentList.paymentOptionDescription[0].amount).to.equal('16.00');
    const [act] = await op(client, 'activatePaymentNoticeV2')({ ...psp, idempotencyKey: '88888888888_demand0001', qrCode: dem.qrCode, amount: '16.00' });
    expect(act.outcome).to.equal('OK');
    expect(act.totalAmount).to.equal('16.00');
    const [out] = await op(
      client,
      'sendPaymentOutcomeV2',
    )({
      ...psp,
      paymentTokens: { paymentToken: act.paymentToken },
      outcome: 'OK',
      details: { paymentMethod: 'creditCard', fee: '1.00', applicationDate: '2026-01-15', transferDate: '2026-01-16' },
    });
    expect(out.outcome).to.equal('OK');
    await world.idle();
    expect(world.stations.receipts({ noticeNumber: dem.qrCode.noticeNumber, station: '77777777777_01' })).to.have.length(1);
    const inbound = world.journal
      .list({ party: 'nodo', direction: 'inbound' })
      .filter((e) => ['nodoChiediCatalogoServiziV2', 'demandPaymentNotice'].includes(e.operation));
    expect(inbound.map((e) => e.operation)).to.deep.equal(['nodoChiediCatalogoServiziV2', 'demandPaymentNotice']);
    expect(
      inbound.flatMap((e) => e.requestIssues),
      "node-soap's requests were XSD-valid",
    ).to.deep.equal([]);
  });

  it('loads a reference station WSDL and calls paVerifyPaymentNotice', async () => {
    const client = await soap.createClientAsync(`${world.baseUrl}/stations/77777777777_01?wsdl`);
    const other = { fiscalCode: '77777777777', noticeNumber: '301000000000100828' };
    const [res] = await op(client, 'paVerifyPaymentNotice')({ idPA: '77777777777', idBrokerPA: '77777777777', idStation: '77777777777_01', qrCode: other });
    expect(res.outcome).to.equal('OK');
    expect(res.paymentList.paymentOptionDescription.amount).to.equal('10.00');
  });
});
