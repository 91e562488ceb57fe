/**
 * The explorer's server side, over HTTP against the serve composition: every operation of the
 * four WSDLs has an example that is valid against the XSDs, and the sendable ones get OK answers
 * from the world; validate-only locates issues at their line; the station controls change what
 * the Nodo does (primitive version, broadcast recipients, stand-in, conferring to ACA); the state
 * lists stand-in, ACA positions and GPD receipts; reset brings the world back.
 */
import { expect } from 'chai';
import { startServe, type Served } from '../../src/serve/index.ts';
import { unwrap } from '../../src/soap/envelope.ts';
import { OPERATIONS } from '../../src/soap/operations.ts';

interface Catalogue {
  interfaces: Array<{ iface: string; targets: Array<{ path: string }>; operations: Array<{ name: string; example: string }> }>;
}

describe('explorer: catalogue, validate, controls', function () {
  this.timeout(30_000);
  let s: Served;
  const get = async <T>(path: string): Promise<T> => (await fetch(`${s.urls.base}${path}`)).json() as Promise<T>;
  const json = (method: string, path: string, body: unknown) =>
    fetch(`${s.urls.base}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const soap = async (path: string, action: string, xml: string) =>
    (await fetch(`${s.urls.base}${path}`, { method: 'POST', headers: { 'content-type': 'text/xml', soapaction: action }, body: xml })).text();
  const example = (c: Catalogue, name: string) => c.interfaces.flatMap((i) => i.operations).find((o) => o.name === name)!.example;

  beforeEach(async () => {
    const started = await startServe({ port: 0 });
    if (!started.ok) throw new Error(started.message);
    s = started.served;
  });
  afterEach(() => s.stop());

  it('has a valid example for every operation of the four WSDLs, by interface', async () => {
    const c = await get<Catalogue>('/_control/explorer/catalogue');
    expect(c.interfaces.map((i) => i.iface)).to.deep.equal(['nodeForPsp', 'paForNode', 'nodeForPa', 'pspForNode']);
    const names = c.interfaces.flatMap((i) => i.operations.map((o) => o.name));
    expect(names).to.have.members(OPERATIONS.map((o) => o.name));
    for (const i of c.interfaces)
      for (const o of i.operations) {
        const u = unwrap(o.example);
        expect(u.ok, o.name).to.equal(true);
        if (u.ok) expect(u.message.issues, `${o.name}: ${u.message.issues.map((x) => x.message).join('; ')}`).to.deep.equal([]);
      }
    expect(c.interfaces.find((i) => i.iface === 'paForNode')!.targets.map((t) => t.path)).to.include.members(['/stations/77777777777_01', '/gpd/paForNode']);
    expect(c.interfaces.find((i) => i.iface === 'nodeForPa')!.targets).to.deep.equal([]);
  });

  it('its examples pay the demo notice as they are: verify, activate, then an outcome with the live token', async () => {
    let c = await get<Catalogue>('/_control/explorer/catalogue');
    expect(await soap('/nodo', 'verifyPaymentNotice', example(c, 'verifyPaymentNotice'))).to.contain('<outcome>OK</outcome>');
    expect(await soap('/stations/77777777777_01', 'paGetPaymentV2', example(c, 'paGetPaymentV2'))).to.contain('<outcome>OK</outcome>');
    // The demo's spontaneous-payment service: the station creates a notice for it.
    expect(await soap('/stations/77777777777_01', 'paDemandPaymentNotice', example(c, 'paDemandPaymentNotice'))).to.match(
      /<outcome>OK<\/outcome>[\s\S]*<amount>16\.00<\/amount>/,
    );
    const act = await soap('/nodo', 'activatePaymentNoticeV2', example(c, 'activatePaymentNoticeV2'));
    const token = /<paymentToken>(\w+)<\/paymentToken>/.exec(act)![1]!;
    c = await get<Catalogue>('/_control/explorer/catalogue');
    expect(example(c, 'sendPaymentOutcomeV2')).to.contain(`<paymentToken>${token}</paymentToken>`);
    expect(await soap('/nodo', 'sendPaymentOutcomeV2', example(c, 'sendPaymentOutcomeV2'))).to.contain('<outcome>OK</outcome>');
  });

  it("the demo's spontaneous payment through the Nodo: catalogue, demandPaymentNotice routed to _01 with the service data, then the new notice paid with primary and broadcast receipts", async () => {
    const c = await get<Catalogue>('/_control/explorer/catalogue');
    const catalogue = await soap('/nodo', 'nodoChiediCatalogoServiziV2', example(c, 'nodoChiediCatalogoServiziV2'));
    const doc = Buffer.from(/<xmlCatalogoServizi>([^<]+)</.exec(catalogue)![1]!, 'base64').toString('utf8');
    expect(doc).to.contain('<idSoggettoServizio>00001</idSoggettoServizio>').and.contain('<xsdRiferimento>certificato-anagrafico-1.0.xsd</xsdRiferimento>');
    const demanded = await soap('/nodo', 'demandPaymentNotice', example(c, 'demandPaymentNotice'));
    expect(demanded).to.contain('<outcome>OK</outcome>').and.contain('<amount>16.00</amount>');
    const noticeNumber = /<noticeNumber>(\d{18})<\/noticeNumber>/.exec(demanded)![1]!;
    const call = s.journal.list({ party: 'nodo', direction: 'outbound', operation: 'paDemandPaymentNotice' }).at(-1)!;
    expect(call.meta).to.include({ idStation: '77777777777_01', idServizio: '00001', idSoggettoServizio: '00001' });
    expect(s.world.stations.positions().find((p) => p.noticeNumber === noticeNumber)?.debtor.id).to.equal('RSSMRA80A01H501U');
    const activation = example(c, 'activatePaymentNoticeV2')
      .replace(/<noticeNumber>\d+<\/noticeNumber>/, `<noticeNumber>${noticeNumber}</noticeNumber>`)
      .replace(/<amount>[\d.]+<\/amount>/, '<amount>16.00</amount>');
    const act = await soap('/nodo', 'activatePaymentNoticeV2', activation);
    expect(act).to.contain('<outcome>OK</outcome>');
    const token = /<paymentToken>(\w+)<\/paymentToken>/.exec(act)![1]!;
    const outcome = example(c, 'sendPaymentOutcomeV2').replace(/<paymentToken>\w+<\/paymentToken>/, `<paymentToken>${token}</paymentToken>`);
    expect(await soap('/nodo', 'sendPaymentOutcomeV2', outcome)).to.contain('<outcome>OK</outcome>');
    await s.world.idle();
    expect(s.world.nodo.receipts.receiptsOf(token).map((r) => r.idStation)).to.have.members(['77777777777_01', '99999999999_01']);
    expect(s.world.stations.positions().find((p) => p.noticeNumber === noticeNumber)?.state).to.equal('paid');
  });

  it('validate-only: schema issues at their line, for an envelope or a bare message; a non-JSON body is refused', async () => {
    const bad = [
      '<pafn:paVerifyPaymentNoticeRes xmlns:pafn="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd">',
      '  <outcome>OK</outcome>',
      '  <paymentList/>',
      '</pafn:paVerifyPaymentNoticeRes>',
    ].join('\n');
    const r = (await (await json('POST', '/_control/explorer/validate', { xml: bad })).json()) as {
      valid: boolean;
      issues: Array<{ line: number; path: string }>;
    };
    expect(r.valid).to.equal(false);
    expect(r.issues[0]!.line).to.equal(3);
    expect(r.issues[0]!.path).to.contain('paymentList');
    const good = (await (
      await json('POST', '/_control/explorer/validate', { xml: example(await get<Catalogue>('/_control/explorer/catalogue'), 'paSendRTV2') })
    ).json()) as { valid: boolean; element: string };
    expect(good).to.include({ valid: true, element: '{http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd}paSendRTV2Request' });
    const text = await fetch(`${s.urls.base}/_control/explorer/validate`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: bad });
    expect(text.status).to.equal(415);
    const foreign = await fetch(`${s.urls.base}/_control/explorer/catalogue`, { headers: { origin: 'http://evil.example' } });
    expect(foreign.status).to.equal(403);
  });

  it("a station's primitiveVersion set to 1 makes the Nodo call paGetPayment, not paGetPaymentV2", async () => {
    expect((await json('PATCH', '/_control/explorer/stations/77777777777_01', { primitiveVersion: 1 })).status).to.equal(200);
    const c = await get<Catalogue>('/_control/explorer/catalogue');
    expect(await soap('/nodo', 'activatePaymentNoticeV2', example(c, 'activatePaymentNoticeV2'))).to.contain('<outcome>OK</outcome>');
    expect(s.journal.list({ party: 'nodo', direction: 'outbound' }).map((e) => e.operation)).to.deep.equal(['paGetPayment']);
    expect((await json('PATCH', '/_control/explorer/stations/77777777777_01', { primitiveVersion: 3 })).status).to.equal(400);
    expect((await json('PATCH', '/_control/explorer/stations/NOPE', { primitiveVersion: 2 })).status).to.equal(404);
  });

  it('an association whose broadcast flag is cleared no longer receives the receipts', async () => {
    expect(
      (await json('PATCH', '/_control/explorer/associations', { fiscalCode: '77777777777', stationCode: '99999999999_01', broadcast: false })).status,
    ).to.equal(200);
    let c = await get<Catalogue>('/_control/explorer/catalogue');
    const act = await soap('/nodo', 'activatePaymentNoticeV2', example(c, 'activatePaymentNoticeV2'));
    const token = /<paymentToken>(\w+)<\/paymentToken>/.exec(act)![1]!;
    c = await get<Catalogue>('/_control/explorer/catalogue');
    await soap('/nodo', 'sendPaymentOutcomeV2', example(c, 'sendPaymentOutcomeV2'));
    expect(s.world.nodo.receipts.receiptsOf(token).map((r) => r.idStation)).to.have.members(['77777777777_01', '22222222222_01']);
  });

  it("stand-in from the explorer: a station's positions conferred to ACA, the station put in stand-in and verified from ACA; the state shows it, the ACA positions and the GPD receipts; reset ends it", async () => {
    interface State {
      stations: Array<{
        stationCode: string;
        flagStandIn: boolean;
        standIn?: { by: string };
        associations: Array<{ fiscalCode: string; aca: boolean; standIn: boolean }>;
      }>;
      aca: Array<{ noticeNumber: string; amount: number; status: string; payStandIn: boolean }>;
      gpdReceipts: Array<{ organizationFiscalCode: string; iuv: string; status: string }>;
      standInEvents: Array<{ station: string; type: string }>;
    }
    const confer = (await (await json('POST', '/_control/explorer/stations/77777777777_01/confer', {})).json()) as {
      results: Array<{ noticeNumber: string; status: number }>;
    };
    expect(confer.results.map((r) => `${r.noticeNumber} ${r.status}`)).to.include('301000000000010151 200');
    expect(
      confer.results.every((r) => r.status === 200),
      JSON.stringify(confer.results),
    ).to.equal(true);
    expect(s.journal.list({ party: 'aca' }).length).to.equal(confer.results.length);
    expect((await json('POST', '/_control/explorer/stations/NOPE/confer', {})).status).to.equal(404);
    expect((await json('POST', '/_control/nodo/standin/stations/77777777777_01', {})).status).to.equal(200);
    let st = await get<State>('/_control/explorer/state');
    const station = st.stations.find((x) => x.stationCode === '77777777777_01')!;
    expect(station).to.deep.include({ flagStandIn: true, standIn: { ...station.standIn, by: 'manual' } });
    expect(station.associations[0]).to.include({ fiscalCode: '77777777777', aca: true, standIn: true });
    expect(st.aca.find((p) => p.noticeNumber === '301000000000010151')).to.deep.equal({
      fiscalCode: '77777777777',
      iuv: '01000000000010151',
      noticeNumber: '301000000000010151',
      amount: 12000,
      status: 'VALID',
      payStandIn: true,
    });
    // The example verify of the demo notice is answered from ACA now.
    const c = await get<Catalogue>('/_control/explorer/catalogue');
    expect(await soap('/nodo', 'verifyPaymentNotice', example(c, 'verifyPaymentNotice'))).to.contain('<standin>true</standin>');
    // The GPD-held notice paid: its receipt is listed.
    const gpd = (xml: string) =>
      xml
        .replace(
          /<fiscalCode>77777777777<\/fiscalCode>(\s*)<noticeNumber>\d+<\/noticeNumber>/,
          '<fiscalCode>55555555555</fiscalCode>$1<noticeNumber>301000000030016504</noticeNumber>',
        )
        .replace(/<amount>[\d.]+<\/amount>/, '<amount>80.00</amount>');
    const act = await soap('/nodo', 'activatePaymentNoticeV2', gpd(example(c, 'activatePaymentNoticeV2')));
    expect(act).to.contain('<outcome>OK</outcome>');
    const token = /<paymentToken>(\w+)<\/paymentToken>/.exec(act)![1]!;
    expect(
      await soap(
        '/nodo',
        'sendPaymentOutcomeV2',
        example(c, 'sendPaymentOutcomeV2').replace(/<paymentToken>\w+<\/paymentToken>/, `<paymentToken>${token}</paymentToken>`),
      ),
    ).to.contain('<outcome>OK</outcome>');
    await s.world.idle();
    st = await get<State>('/_control/explorer/state');
    expect(st.gpdReceipts.map(({ organizationFiscalCode, iuv, status }) => ({ organizationFiscalCode, iuv, status }))).to.deep.equal([
      { organizationFiscalCode: '55555555555', iuv: '01000000030016504', status: 'PAID' },
    ]);
    expect(st.standInEvents.map((e) => `${e.station} ${e.type}`)).to.deep.equal(['77777777777_01 ADDED']);
    expect((await json('POST', '/_control/explorer/reset', {})).status).to.equal(200);
    st = await get<State>('/_control/explorer/state');
    expect(st.stations.find((x) => x.stationCode === '77777777777_01')!.standIn).to.equal(undefined);
    expect([st.aca, st.gpdReceipts, st.standInEvents]).to.deep.equal([[], [], []]);
  });

  it('reset brings the world back: the paid notice is payable again, no journal, faults cleared', async () => {
    let c = await get<Catalogue>('/_control/explorer/catalogue');
    const act = await soap('/nodo', 'activatePaymentNoticeV2', example(c, 'activatePaymentNoticeV2'));
    expect(act).to.contain('<outcome>OK</outcome>');
    c = await get<Catalogue>('/_control/explorer/catalogue');
    await soap('/nodo', 'sendPaymentOutcomeV2', example(c, 'sendPaymentOutcomeV2'));
    await s.world.idle();
    expect(await soap('/nodo', 'verifyPaymentNotice', example(c, 'verifyPaymentNotice'))).to.contain('PPT_PAGAMENTO_DUPLICATO');
    expect((await json('POST', '/_control/stations/injections', { action: 'http500' })).status).to.equal(201);
    expect((await json('POST', '/_control/explorer/reset', {})).status).to.equal(200);
    expect(s.journal.list()).to.deep.equal([]);
    expect(s.world.stations.injections()).to.deep.equal([]);
    expect(await soap('/nodo', 'verifyPaymentNotice', example(c, 'verifyPaymentNotice'))).to.contain('<outcome>OK</outcome>');
  });
});
