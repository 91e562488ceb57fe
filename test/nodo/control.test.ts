/**
 * The mock Nodo's JSON control API (/_control/nodo/...) over real HTTP on loopback:
 * journal, registry GET/PUT/reload, clock advance, reset, sessions; and, in a world, the
 * reference stations following a registry replaced over the API.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { createControlAccess } from '../../src/control/index.ts';
import { expect } from 'chai';
import { RealClock } from '../../src/clock.ts';
import { createNodo } from '../../src/nodo/index.ts';
import { formatRegistryIssue, loadRegistry, type Registry } from '../../src/nodo/registry.ts';
import { Journal } from '../../src/soap/exchange.ts';
import { emptyConfig } from '../../src/station/model.ts';
import { createWorld } from '../../src/world.ts';
import {
  activateReq,
  bodyOf,
  closeServer,
  defaultRegistry,
  EC,
  faultOf,
  listen,
  notice,
  outcomeReq,
  position,
  REGISTRY_FILE,
  resetWorld,
  startWorld,
  verifyReq,
  type World,
} from './helpers.ts';

const NN = notice(3, '01', 41);
const C = '/_control/nodo';

async function json(url: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    ...(init.body !== undefined
      ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body), headers: { 'content-type': 'application/json' } }
      : {}),
  });
  expect(res.headers.get('content-type') ?? '').to.match(/application\/json/);
  return { status: res.status, body: await res.json() };
}

describe('nodo: control API over HTTP (/_control/nodo)', () => {
  let w: World;
  before(async () => {
    w = await startWorld({ positions: [position(EC, NN)] });
  });
  after(async () => w.close());
  beforeEach(() => resetWorld(w));

  describe('journal', () => {
    it("lists the Nodo's exchanges (PSP call and station call, raw XML both ways), not the stations' own records", async () => {
      expect(bodyOf(await w.psp('verifyPaymentNotice', verifyReq(EC, NN)))['outcome']).to.equal('OK');
      const { status, body } = await json(`${w.base}${C}/journal`);
      expect(status).to.equal(200);
      expect(body.map((e: any) => `${e.direction} ${e.operation} ${e.from}→${e.to}`)).to.deep.equal([
        'outbound paVerifyPaymentNotice nodo→station:77777777777_01',
        'inbound verifyPaymentNotice psp→nodo',
      ]);
      for (const e of body) {
        expect(e.party).to.equal('nodo');
        expect(e.request).to.contain(e.operation);
        expect(e.response).to.contain('<outcome>OK</outcome>');
      }
      expect(w.journal.list().some((e) => e.party === 'station:77777777777_01')).to.equal(true);
    });

    it('filters by operation and by since (the last seq seen)', async () => {
      await w.psp('verifyPaymentNotice', verifyReq(EC, NN));
      const first = (await json(`${w.base}${C}/journal`)).body as { seq: number }[];
      const last = Math.max(...first.map((e) => e.seq));
      await w.psp('activatePaymentNoticeV2', activateReq(EC, NN));
      const since = (await json(`${w.base}${C}/journal?since=${last}`)).body as { operation: string; seq: number }[];
      expect(since.map((e) => e.operation).sort()).to.deep.equal(['activatePaymentNoticeV2', 'paGetPaymentV2']);
      expect(since.every((e) => e.seq > last)).to.equal(true);
      const only = (await json(`${w.base}${C}/journal?operation=paVerifyPaymentNotice`)).body as { operation: string }[];
      expect(only.map((e) => e.operation)).to.deep.equal(['paVerifyPaymentNotice']);
    });
  });

  describe('registry', () => {
    let original: Registry;
    before(() => {
      original = w.nodo.registry();
    });
    afterEach(() => w.nodo.setRegistry(original));

    it('GET shows the registry in use', async () => {
      const { status, body } = await json(`${w.base}${C}/registry`);
      expect(status).to.equal(200);
      expect(body.stations.map((s: any) => s.stationCode)).to.include.members(['77777777777_01', '77777777777_02', '99999999999_01']);
      expect(body.associations.find((a: any) => a.stationCode === '99999999999_01' && a.fiscalCode === EC)).to.include({
        broadcast: true,
        segregationCode: '10',
      });
    });

    it('PUT replaces it: the next call follows the new registry', async () => {
      const next = structuredClone(original);
      next.stations.find((s) => s.stationCode === '77777777777_01')!.enabled = false;
      const put = await json(`${w.base}${C}/registry`, { method: 'PUT', body: next });
      expect(put).to.deep.equal({ status: 200, body: { ok: true } });
      expect(faultOf(await w.psp('verifyPaymentNotice', verifyReq(EC, NN)))['faultCode']).to.equal('PPT_STAZIONE_INT_PA_DISABILITATA');
      const got = (await json(`${w.base}${C}/registry`)).body;
      expect(got.stations.find((s: any) => s.stationCode === '77777777777_01').enabled).to.equal(false);
    });

    it('PUT of a registry that breaks a rule is 400 with the rule, and the old registry stays', async () => {
      const bad = structuredClone(original) as unknown as { associations: Record<string, unknown>[] };
      delete bad.associations.find((a) => a['stationCode'] === '77777777777_01' && a['fiscalCode'] === EC)!['segregationCode'];
      const put = await json(`${w.base}${C}/registry`, { method: 'PUT', body: bad });
      expect(put.status).to.equal(400);
      expect(put.body.error).to.match(/^Failed to replace the registry/);
      expect(put.body.issues).to.have.length(1);
      expect(put.body.issues[0]).to.match(
        /^associations\[\d+\]\.auxDigit: association 77777777777→77777777777_01 has auxDigit 3 without a segregationCode .* \[REG_AUX3_SEGREGATION\]$/,
      );
      expect(bodyOf(await w.psp('verifyPaymentNotice', verifyReq(EC, NN)))['outcome']).to.equal('OK');
    });

    it('PUT of a body that is not JSON is refused with 400', async () => {
      const r = await json(`${w.base}${C}/registry`, { method: 'PUT', body: '{not json' });
      expect(r.status).to.equal(400);
      expect(r.body.error).to.match(/^Failed to read the request body: it is not valid JSON\. Send Content-Type: application\/json/);
      expect(w.nodo.registry()).to.equal(original);
    });

    it('reload without a registry file is 409', async () => {
      const r = await json(`${w.base}${C}/registry/reload`, { method: 'POST' });
      expect(r.status).to.equal(409);
      expect(r.body.error).to.match(/not started from a registry file.*PUT/);
    });
  });

  describe('clock, reset and sessions', () => {
    it('clock/advance moves the manual clock, and a token expires with it', async () => {
      const before = w.clock.now().getTime();
      const act = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN, { expirationTime: '60000' })));
      expect(faultOf(await w.psp('verifyPaymentNotice', verifyReq(EC, NN)))['faultCode']).to.equal('PPT_PAGAMENTO_IN_CORSO');
      const adv = await json(`${w.base}${C}/clock/advance`, { method: 'POST', body: { by: '2m' } });
      expect(adv.status).to.equal(200);
      expect(new Date(adv.body.now).getTime() - before).to.equal(120_000);
      expect(bodyOf(await w.psp('verifyPaymentNotice', verifyReq(EC, NN)))['outcome']).to.equal('OK');
      const ms = await json(`${w.base}${C}/clock/advance`, { method: 'POST', body: { ms: 1000 } });
      expect(new Date(ms.body.now).getTime() - before).to.equal(121_000);
      expect(act['paymentToken']).to.be.a('string');
    });

    it('clock/advance with a bad duration is 400', async () => {
      const r = await json(`${w.base}${C}/clock/advance`, { method: 'POST', body: { by: 'soon' } });
      expect(r.status).to.equal(400);
      expect(r.body.error).to.match(/^Failed to advance the clock: .*\{"by": "10m"\}/);
    });

    it('sessions lists payment sessions and shows one by token; an unknown token is 404', async () => {
      const token = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN)))['paymentToken'] as string;
      const list = await json(`${w.base}${C}/sessions`);
      expect(list.status).to.equal(200);
      expect(list.body.map((s: any) => [s.paymentToken, s.noticeNumber, s.fiscalCode, s.state])).to.deep.equal([[token, NN, EC, 'PAYING']]);
      const one = await json(`${w.base}${C}/sessions/${token}`);
      expect(one.status).to.equal(200);
      expect(one.body).to.deep.include({ paymentToken: token, noticeNumber: NN });
      expect(one.body.ec).to.include({ idPA: EC, idStation: '77777777777_01' });
      const none = await json(`${w.base}${C}/sessions/ffffffffffffffffffffffffffffffff`);
      expect(none.status).to.equal(404);
      expect(none.body.error).to.match(/^Failed to find paymentToken ffff.*GET \/_control\/nodo\/sessions/);
    });

    it('reset drops the sessions (the notice is payable again) and never reissues a token (seeded: a new epoch of the sequence)', async () => {
      const t1 = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN)))['paymentToken'] as string;
      expect(faultOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN)))['faultCode']).to.equal('PPT_PAGAMENTO_IN_CORSO');
      expect((await json(`${w.base}${C}/reset`, { method: 'POST' })).body).to.deep.equal({ ok: true });
      expect((await json(`${w.base}${C}/sessions`)).body).to.deep.equal([]);
      const t2 = bodyOf(await w.psp('activatePaymentNoticeV2', activateReq(EC, NN)))['paymentToken'] as string;
      expect(t2).to.match(/^[0-9a-f]{32}$/);
      expect(t2).to.not.equal(t1);
      // the old token is unknown, it cannot pay the new session
      expect(faultOf(await w.psp('sendPaymentOutcome', outcomeReq(t1, 'OK')))['faultCode']).to.equal('PPT_TOKEN_SCONOSCIUTO');
      expect(w.nodo.session(t2)!.state).to.equal('PAYING');
    });
  });
});

describe('nodo: control API with a registry file and a real clock', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'nodo-control-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reload re-reads the file; a broken file is 400 with file:line:col and the old registry stays; clock/advance is 409', async () => {
    const file = join(dir, 'registry.yaml');
    const text = readFileSync(REGISTRY_FILE, 'utf8');
    writeFileSync(file, text);
    const read = () => {
      const r = loadRegistry(file);
      return r.ok ? { ok: true as const, registry: r.registry } : { ok: false as const, message: r.issues.map(formatRegistryIssue).join('\n') };
    };
    const first = read();
    if (!first.ok) throw new Error(first.message);
    const nodo = createNodo({ journal: new Journal(), clock: new RealClock(), registry: first.registry, loadRegistry: read });
    const app = express();
    createControlAccess({ host: '127.0.0.1' }).mount(app);
    app.use(nodo.router);
    const { server, base } = await listen(app);
    try {
      writeFileSync(file, text.replace('businessName: Comune di Esempio\n', 'businessName: Comune di Esempio\n    enabled: false\n'));
      expect(await json(`${base}${C}/registry/reload`, { method: 'POST' })).to.deep.equal({ status: 200, body: { ok: true } });
      expect(nodo.registry().creditorInstitutions.find((c) => c.fiscalCode === EC)!.enabled).to.equal(false);

      const lines = text.split('\n');
      const at = lines.findIndex((l) => l.startsWith('stations:')) + 2; // the first station's line (1-based)
      writeFileSync(file, text.replace('  - stationCode: "77777777777_01"\n', '  - stationCode: "77777777777_01"\n    colour: blue\n'));
      const bad = await json(`${base}${C}/registry/reload`, { method: 'POST' });
      expect(bad.status).to.equal(400);
      expect(bad.body.error).to.contain(`${file}:${at + 1}:`);
      expect(bad.body.error).to.contain("unknown key 'colour'");
      expect(nodo.registry().creditorInstitutions.find((c) => c.fiscalCode === EC)!.enabled).to.equal(false);

      const adv = await json(`${base}${C}/clock/advance`, { method: 'POST', body: { by: '1m' } });
      expect(adv.status).to.equal(409);
      expect(adv.body.error).to.match(/real clock/);
    } finally {
      nodo.close();
      await closeServer(server);
    }
  });

  it('in a world, a registry PUT over the API moves the reference stations with it', async () => {
    const world = createWorld({ registry: defaultRegistry(), positions: { ...emptyConfig(), positions: [position(EC, NN)] }, seed: 'control' });
    await world.start();
    try {
      const next = structuredClone(world.nodo.registry());
      next.stations.push({
        stationCode: '77777777777_09',
        brokerCode: EC,
        enabled: true,
        version: 2,
        primitiveVersion: 2,
        endpoint: 'reference',
        timeouts: {},
      });
      next.associations = next.associations.filter((a) => !(a.fiscalCode === EC && a.stationCode === '77777777777_01'));
      next.associations.push({ fiscalCode: EC, stationCode: '77777777777_09', auxDigit: 3, segregationCode: '01', broadcast: false, enabled: true });
      expect((await json(`${world.baseUrl}${C}/registry`, { method: 'PUT', body: next })).status).to.equal(200);
      const byId = new Map(world.stations.stations().map((s) => [s.idStation, s.ecs]));
      expect(byId.get('77777777777_09')).to.deep.equal([EC]);
      expect(byId.get('77777777777_01')).to.not.include(EC);
      const wsdl = await fetch(`${world.baseUrl}/stations/77777777777_09?wsdl`);
      expect(wsdl.status).to.equal(200);
    } finally {
      await world.stop();
    }
  });
});
