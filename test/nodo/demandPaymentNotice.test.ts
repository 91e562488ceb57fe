/**
 * The mock Nodo's demandPaymentNotice and nodoChiediCatalogoServiziV2 (issue 14, spontaneous
 * payments), over HTTP: the Nodo's own refusals (PPT_SERVIZIO_SCONOSCIUTO, _NONATTIVO,
 * PPT_VERSIONE_SERVIZIO, routing) without calling a station, what it sends to the EC's
 * spontaneous-payment station, and how it judges and maps the station's answer. A scripted
 * station answers by hand so each rule is broken alone.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCENARIOS_DIR } from '../../src/paths.ts';
import type { HandlerResult } from '../../src/soap/endpoint.ts';
import type { Registry } from '../../src/nodo/registry.ts';
import type { BuildObject } from '../../src/xml/build.ts';
import { shippedDocumentSchema, validateDocument } from '../../src/xml/documents.ts';
import { NS } from '../../src/xml/schemas.ts';
import { bodyOf, faultOf, PSP, SCRIPTED, SCRIPTED_EC, startWorld, type World } from './helpers.ts';

const DATA_NS = 'urn:example:servizio:1.0';
const DATA = Buffer.from(`<dati xmlns="${DATA_NS}"><importo>12.00</importo></dati>`).toString('base64');
const demandReq = (idSoggettoServizio: string, datiSpecificiServizio = DATA, caller = PSP): BuildObject => ({
  ...caller,
  idSoggettoServizio,
  datiSpecificiServizio,
});
const catalogueReq = (extra: BuildObject = {}): BuildObject => ({
  identificativoPSP: PSP.idPSP,
  identificativoIntermediarioPSP: PSP.idBrokerPSP,
  identificativoCanale: PSP.idChannel,
  password: PSP.password,
  ...extra,
});

function withScriptedService(r: Registry): Registry {
  return {
    ...r,
    associations: r.associations.map((a) => (a.stationCode === SCRIPTED ? { ...a, spontaneousPayment: true } : a)),
    services: [
      ...(r.services ?? []),
      {
        idServizio: '55555',
        descrizioneServizio: 'Servizio scriptato',
        categoria: 'TEST',
        xsdRiferimento: 'dati-1.0.xsd',
        namespace: DATA_NS,
        elencoSoggettiEroganti: [{ idSoggettoServizio: '55555', idDominio: SCRIPTED_EC, dataInizioValidita: '2020-01-01', enabled: true }],
      },
      {
        idServizio: '55556',
        descrizioneServizio: 'Servizio spento',
        xsdRiferimento: 'dati-1.0.xsd',
        elencoSoggettiEroganti: [{ idSoggettoServizio: '55556', idDominio: SCRIPTED_EC, dataInizioValidita: '2020-01-01', enabled: false }],
      },
    ],
  };
}

const demandRes = (fields: BuildObject): HandlerResult => ({
  kind: 'response',
  body: { 'pafn:paDemandPaymentNoticeResponse': { '@_xmlns:pafn': NS.paForNode, ...fields } },
});
const OK_ANSWER = {
  outcome: 'OK',
  qrCode: { fiscalCode: SCRIPTED_EC, noticeNumber: '301000000000000155' },
  paymentList: { paymentOptionDescription: { amount: '12.00', options: 'EQ', dueDate: '2026-02-14', detailDescription: 'Diritti', allCCP: 'false' } },
  paymentDescription: 'Diritti di segreteria',
  fiscalCodePA: SCRIPTED_EC,
  companyName: 'Ente Scriptato',
};

describe('nodo: demandPaymentNotice and nodoChiediCatalogoServiziV2 (issue 14, spontaneous payments)', () => {
  let w: World;
  const received: { op: string; body: Record<string, unknown> }[] = [];
  before(async () => {
    w = await startWorld({ registry: withScriptedService });
  });
  after(() => w.close());
  beforeEach(() => {
    received.length = 0;
    w.script((op, body) => {
      received.push({ op, body });
      return demandRes(OK_ANSWER);
    });
  });
  const stationCalls = () => received.length;

  it('an active service: paDemandPaymentNotice goes to the EC spontaneous-payment station with the service ids and the data as sent; the answer is mapped for the PSP', async () => {
    const b = bodyOf(await w.psp('demandPaymentNotice', demandReq('55555')));
    expect(b['outcome']).to.equal('OK');
    expect(received.map((r) => r.op)).to.deep.equal(['paDemandPaymentNotice']);
    expect(received[0]!.body).to.deep.include({
      idPA: SCRIPTED_EC,
      idBrokerPA: '99999999999',
      idStation: SCRIPTED,
      idServizio: '55555',
      idSoggettoServizio: '55555',
      datiSpecificiServizioRequest: DATA,
    });
    expect(b['qrCode']).to.deep.equal({ fiscalCode: SCRIPTED_EC, noticeNumber: '301000000000000155' });
    expect((b['paymentList'] as Record<string, unknown[]>)['paymentOptionDescription']![0]).to.deep.equal({
      amount: '12.00',
      options: 'EQ',
      dueDate: '2026-02-14',
      paymentNote: 'Diritti',
    });
    expect(b).to.deep.include({ paymentDescription: 'Diritti di segreteria', fiscalCodePA: SCRIPTED_EC, companyName: 'Ente Scriptato' });
  });

  const refusals: [string, () => BuildObject, string, RegExp][] = [
    ['an unknown idSoggettoServizio', () => demandReq('00000'), 'PPT_SERVIZIO_SCONOSCIUTO', /00000 is not in the service catalogue/],
    ['a disabled provider', () => demandReq('55556'), 'PPT_SERVIZIO_NONATTIVO', /disabled/],
    ['a service that ended (registry 00002, until 2020-06-30)', () => demandReq('00002'), 'PPT_SERVIZIO_NONATTIVO', /valid until 2020-06-30/],
    ['a service not yet started (registry 00003, from 2099)', () => demandReq('00003'), 'PPT_SERVIZIO_NONATTIVO', /valid from 2099-01-01/],
    [
      'data of another version (namespace)',
      () => demandReq('55555', Buffer.from('<dati xmlns="urn:example:servizio:2.0"/>').toString('base64')),
      'PPT_VERSIONE_SERVIZIO',
      /expects its data in namespace urn:example:servizio:1\.0/,
    ],
    ['data that is not XML', () => demandReq('55555', Buffer.from('importo=12').toString('base64')), 'PPT_SINTASSI_XSD', /not an XML document/],
    ['a wrong password', () => demandReq('55555', DATA, { ...PSP, password: 'WRONGPASS1' }), 'PPT_AUTENTICAZIONE', /wrong password/],
  ];
  for (const [what, req, code, why] of refusals) {
    it(`${what} → ${code}, no station call`, async () => {
      const f = faultOf(await w.psp('demandPaymentNotice', req()));
      expect(f['faultCode']).to.equal(code);
      expect(f['id']).to.equal('NodoDeiPagamentiSPC');
      expect(f['description']).to.match(why);
      expect(stationCalls()).to.equal(0);
    });
  }

  it('the checks come in order: an unknown service is refused before the data version is read', async () => {
    const f = faultOf(await w.psp('demandPaymentNotice', demandReq('00000', Buffer.from('not xml').toString('base64'))));
    expect(f['faultCode']).to.equal('PPT_SERVIZIO_SCONOSCIUTO');
  });

  // Routing to the EC's spontaneous-payment station: each broken link of the chain alone.
  const routing: [string, (r: Registry) => Registry, string, RegExp][] = [
    [
      'an EC without a spontaneous-payment association',
      (r) => ({ ...r, associations: r.associations.map((a) => ({ ...a, spontaneousPayment: false })) }),
      'PPT_STAZIONE_INT_PA_SCONOSCIUTA',
      /no association enabled for spontaneous payments/,
    ],
    [
      'the service EC disabled',
      (r) => ({ ...r, creditorInstitutions: r.creditorInstitutions.map((e) => (e.fiscalCode === SCRIPTED_EC ? { ...e, enabled: false } : e)) }),
      'PPT_DOMINIO_DISABILITATO',
      /EC 55555555555 is disabled/,
    ],
    [
      'its spontaneous-payment association disabled',
      (r) => ({ ...r, associations: r.associations.map((a) => (a.stationCode === SCRIPTED ? { ...a, enabled: false } : a)) }),
      'PPT_STAZIONE_INT_PA_DISABILITATA',
      /association 55555555555→SCRIPTED_01 is disabled/,
    ],
    [
      'its station disabled',
      (r) => ({ ...r, stations: r.stations.map((st) => (st.stationCode === SCRIPTED ? { ...st, enabled: false } : st)) }),
      'PPT_STAZIONE_INT_PA_DISABILITATA',
      /station SCRIPTED_01 is disabled/,
    ],
    [
      "the station's EC broker disabled",
      (r) => ({ ...r, brokers: r.brokers.map((b) => (b.brokerCode === '99999999999' ? { ...b, enabled: false } : b)) }),
      'PPT_INTERMEDIARIO_PA_DISABILITATO',
      /EC broker 99999999999 is disabled/,
    ],
    [
      'its station of version 1 (old model)',
      (r) => ({ ...r, stations: r.stations.map((st) => (st.stationCode === SCRIPTED ? { ...st, version: 1, primitiveVersion: 1 } : st)) }),
      'PPT_STAZIONE_INT_PA_SERVIZIO_NONATTIVO',
      /version-1/,
    ],
  ];
  for (const [what, patch, code, why] of routing) {
    it(`${what} → ${code}, no station call`, async () => {
      const reg = w.nodo.registry();
      w.nodo.setRegistry(patch(reg));
      try {
        const f = faultOf(await w.psp('demandPaymentNotice', demandReq('55555')));
        expect([f['faultCode'], f['id']]).to.deep.equal([code, 'NodoDeiPagamentiSPC']);
        expect(f['description']).to.match(why);
        expect(stationCalls()).to.equal(0);
      } finally {
        w.nodo.setRegistry(reg);
      }
    });
  }

  it('a valid station KO is relayed as PPT_ERRORE_EMESSO_DA_PAA with the EC as id and the PAA code in originalFaultCode', async () => {
    w.script(() =>
      demandRes({
        outcome: 'KO',
        fault: { faultCode: 'PAA_SINTASSI_XSD', faultString: 'Errore di sintassi XSD.', id: SCRIPTED_EC, description: 'importo missing' },
      }),
    );
    const f = faultOf(await w.psp('demandPaymentNotice', demandReq('55555')));
    expect(f).to.deep.include({
      faultCode: 'PPT_ERRORE_EMESSO_DA_PAA',
      id: SCRIPTED_EC,
      originalFaultCode: 'PAA_SINTASSI_XSD',
      originalDescription: 'importo missing',
    });
  });

  const invalidAnswers: [string, BuildObject, string][] = [
    ['DEMAND_QRCODE', { ...OK_ANSWER, qrCode: undefined }, 'DEMAND_QRCODE'],
    ['DEMAND_PAYMENT_LIST', { ...OK_ANSWER, paymentList: undefined }, 'DEMAND_PAYMENT_LIST'],
    ['KO_WITHOUT_FAULT', { outcome: 'KO' }, 'KO_WITHOUT_FAULT'],
  ];
  for (const [name, answer, rule] of invalidAnswers) {
    it(`${name}: the answer is refused, PSP gets PPT_STAZIONE_INT_PA_ERRORE_RESPONSE`, async () => {
      w.script(() => demandRes(answer));
      expect(faultOf(await w.psp('demandPaymentNotice', demandReq('55555')))['faultCode']).to.equal('PPT_STAZIONE_INT_PA_ERRORE_RESPONSE');
      expect(w.journal.list({ party: 'nodo', direction: 'outbound' }).at(-1)!.notes.join(' ')).to.contain(`semantic rule ${rule}`);
    });
  }

  it('DEMAND_FISCAL_CODE and DEMAND_NOTICE_ROUTABLE are warnings: the PSP gets the notice, the notes say why', async () => {
    w.script(() => demandRes({ ...OK_ANSWER, qrCode: { fiscalCode: '11111111111', noticeNumber: '355000000000000155' } }));
    expect(bodyOf(await w.psp('demandPaymentNotice', demandReq('55555')))['outcome']).to.equal('OK');
    const notes = w.journal.list({ party: 'nodo', direction: 'outbound' }).at(-1)!.notes.join(' ');
    expect(notes).to.contain('warning DEMAND_FISCAL_CODE');
    expect(notes).to.contain('warning DEMAND_NOTICE_ROUTABLE');
  });

  it('a station slower than the paDemandPaymentNotice timeout → PPT_STAZIONE_INT_PA_TIMEOUT', async () => {
    const reg = w.nodo.registry();
    w.nodo.setRegistry({ ...reg, stations: reg.stations.map((s) => (s.stationCode === SCRIPTED ? { ...s, timeouts: { paDemandPaymentNotice: 100 } } : s)) });
    let release: () => void = () => {};
    w.script(() => new Promise<HandlerResult>((resolve) => (release = () => resolve(demandRes(OK_ANSWER)))));
    try {
      expect(faultOf(await w.psp('demandPaymentNotice', demandReq('55555')))['faultCode']).to.equal('PPT_STAZIONE_INT_PA_TIMEOUT');
    } finally {
      release();
      w.nodo.setRegistry(reg);
    }
  });

  it('nodoChiediCatalogoServiziV2: the catalogue document is valid against CatalogoServizi_2_0_0.xsd and filtered', async () => {
    const all = bodyOf(await w.psp('nodoChiediCatalogoServiziV2', catalogueReq()));
    expect(all['outcome']).to.equal('OK');
    const xml = Buffer.from(all['xmlCatalogoServizi'] as string, 'base64').toString('utf8');
    expect(validateDocument(xml, shippedDocumentSchema('CatalogoServizi_2_0_0.xsd'))).to.deep.equal([]);
    expect(xml).to.contain('<idSoggettoServizio>55555</idSoggettoServizio>');
    expect(xml, 'a disabled provider is not listed').not.to.contain('55556');
    const mine = Buffer.from(
      bodyOf(await w.psp('nodoChiediCatalogoServiziV2', catalogueReq({ identificativoDominio: SCRIPTED_EC })))['xmlCatalogoServizi'] as string,
      'base64',
    ).toString('utf8');
    expect([...mine.matchAll(/<idServizio>(\d+)<\/idServizio>/g)].map((m) => m[1])).to.deep.equal(['55555']);
    expect(faultOf(await w.psp('nodoChiediCatalogoServiziV2', catalogueReq({ identificativoDominio: '12312312312' })))['faultCode']).to.equal(
      'PPT_DOMINIO_SCONOSCIUTO',
    );
    expect(faultOf(await w.psp('nodoChiediCatalogoServiziV2', catalogueReq({ password: 'WRONGPASS1' })))['faultCode']).to.equal('PPT_AUTENTICAZIONE');
    const reg = w.nodo.registry();
    w.nodo.setRegistry({ ...reg, creditorInstitutions: reg.creditorInstitutions.map((e) => (e.fiscalCode === SCRIPTED_EC ? { ...e, enabled: false } : e)) });
    try {
      expect(faultOf(await w.psp('nodoChiediCatalogoServiziV2', catalogueReq({ identificativoDominio: SCRIPTED_EC })))['faultCode']).to.equal(
        'PPT_DOMINIO_DISABILITATO',
      );
    } finally {
      w.nodo.setRegistry(reg);
    }
    const none = bodyOf(await w.psp('nodoChiediCatalogoServiziV2', catalogueReq({ categoria: 'NESSUNA' })));
    expect(none).to.deep.include({ outcome: 'OK' });
    expect(none['xmlCatalogoServizi']).to.equal(undefined);
  });

  it('the default fixture service XSD is the one the default catalogue names', () => {
    const xsd = readFileSync(join(SCENARIOS_DIR, 'fixtures', 'services', 'diritti-segreteria-1.0.xsd'), 'utf8');
    const svc = w.nodo.registry().services!.find((s) => s.idServizio === '00001')!;
    expect(xsd).to.contain(`targetNamespace="${svc.namespace}"`);
    expect(svc.xsdRiferimento).to.equal('diritti-segreteria-1.0.xsd');
  });
});
