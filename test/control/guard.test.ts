/**
 * The control API protection (src/control/guard.ts) as a hostile web page or a remote
 * client would meet it, over real HTTP against a world: text/plain and form posts
 * refused (CSRF), a foreign Origin refused, a rebinding Host refused, the token required
 * when one is configured (always off loopback), --no-control, and passwords masked in
 * the registry and the journal. Every control root of a world is covered by the one guard.
 */
import { expect } from 'chai';
import http from 'node:http';
import express from 'express';
import { listenApp } from '../support/loopback.ts';
import { createControlAccess, isLoopback, maskSecrets, maskText, resolveControlToken } from '../../src/control/index.ts';
import { loadRegistry } from '../../src/nodo/registry.ts';
import { emptyConfig } from '../../src/station/model.ts';
import { createWorld, type World } from '../../src/world.ts';
import { callSoap } from '../../src/soap/client.ts';
import { wrap } from '../../src/soap/envelope.ts';
import { NS } from '../../src/xml/schemas.ts';
import { EC, PSP, position, REGISTRY_FILE, notice } from '../nodo/helpers.ts';

const NN = notice(3, '01', 71);

interface Answer {
  status: number;
  body: any;
}

/** A raw request (node:http lets a test set Host and Origin as a browser under attack would). */
function request(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        method,
        path,
        headers: { ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

function registry() {
  const r = loadRegistry(REGISTRY_FILE);
  if (!r.ok) throw new Error('default registry invalid');
  return r.registry;
}

async function startTestWorld(control?: { token?: string; enabled?: boolean }): Promise<World> {
  const w = createWorld({
    registry: registry(),
    positions: { ...emptyConfig(), positions: [position(EC, NN)] },
    seed: 'guard',
    ...(control ? { control } : {}),
  });
  await w.start();
  return w;
}

const verify = (w: World) =>
  callSoap({
    url: w.nodoUrl,
    soapAction: 'verifyPaymentNotice',
    envelope: wrap({ 'nfp:verifyPaymentNoticeReq': { '@_xmlns:nfp': NS.nodeForPsp, ...PSP, qrCode: { fiscalCode: EC, noticeNumber: NN } } }),
    timeoutMs: 60_000,
    expectResponse: 'verifyPaymentNoticeRes',
  });

const JSON_TYPE = { 'content-type': 'application/json' };

describe('control API protection (one guard in front of every /_control route)', () => {
  describe('on loopback without a token (what a world serves)', () => {
    let w: World;
    let host: string;
    before(async () => {
      w = await startTestWorld();
      host = new URL(w.baseUrl).host;
    });
    after(async () => w.stop());

    it('a text/plain POST (what any web page can send without a preflight) is refused with 415 and has no effect', async () => {
      const before = w.nodo.registry().channels.length;
      const r = await request(w.baseUrl, 'PUT', '/_control/nodo/registry', { 'content-type': 'text/plain' }, '{}');
      expect(r.status).to.equal(415);
      expect(r.body.error).to.match(/^Failed to answer PUT \/_control\/nodo\/registry: the body is 'text\/plain'.*Send Content-Type: application\/json\./);
      expect(w.nodo.registry().channels.length).to.equal(before);
    });

    it('form posts (urlencoded, multipart) and a body without a type are refused with 415 on every control root', async () => {
      const roots = ['/_control/nodo/reset', '/_control/stations/reset', '/_control/send/reset', '/_control/gpd/reset', '/_control/nodo/receipts'];
      for (const path of roots) {
        expect((await request(w.baseUrl, 'POST', path, { 'content-type': 'application/x-www-form-urlencoded' }, 'a=1')).status, path).to.equal(415);
        expect((await request(w.baseUrl, 'POST', path, { 'content-type': 'multipart/form-data; boundary=x' }, '--x--')).status, path).to.equal(415);
        expect((await request(w.baseUrl, 'POST', path, {}, '{}')).status, path).to.equal(415);
      }
      // Express matches paths case-insensitively: so does the guard.
      expect((await request(w.baseUrl, 'POST', '/_CONTROL/nodo/reset', { 'content-type': 'text/plain' }, '{}')).status).to.equal(415);
    });

    it('JSON, YAML positions and a bodiless POST pass', async () => {
      expect((await request(w.baseUrl, 'POST', '/_control/nodo/reset', JSON_TYPE, '{}')).status).to.equal(200);
      expect((await request(w.baseUrl, 'POST', '/_control/nodo/reset')).status).to.equal(200);
      const yaml = `positions:\n  - fiscalCode: "${EC}"\n    noticeNumber: "${NN}"\n    description: TARI\n    companyName: Comune\n    transfers:\n      - { amount: 5.00, iban: IT60X0542811101000000123456, remittanceInformation: TARI, category: 0101101IM }\n`;
      {
        const y = await request(w.baseUrl, 'POST', '/_control/stations/positions', { 'content-type': 'application/yaml' }, yaml);
        expect(y.status, JSON.stringify(y.body)).to.equal(200);
      }
    });

    it('a foreign Origin is refused with 403 (CSRF), the own origin is served', async () => {
      const evil = await request(w.baseUrl, 'POST', '/_control/nodo/reset', { ...JSON_TYPE, origin: 'http://evil.example' }, '{}');
      expect(evil.status).to.equal(403);
      expect(evil.body.error).to.match(/Origin 'http:\/\/evil\.example' is not this server's origin/);
      expect((await request(w.baseUrl, 'GET', '/_control/nodo/registry', { origin: 'http://localhost:1' })).status).to.equal(403);
      expect((await request(w.baseUrl, 'GET', '/_control/stations', { origin: 'null' })).status).to.equal(403);
      expect((await request(w.baseUrl, 'GET', '/_control/gpd/positions', { 'sec-fetch-site': 'cross-site' })).status).to.equal(403);
      expect((await request(w.baseUrl, 'POST', '/_control/nodo/reset', { ...JSON_TYPE, origin: `http://${host}` }, '{}')).status).to.equal(200);
    });

    it('a rebinding Host (an attacker name resolving to loopback) is refused with 403 on every control root; loopback names and IPs pass', async () => {
      const port = new URL(w.baseUrl).port;
      for (const path of [
        '/_control/nodo/registry',
        '/_control/nodo/journal',
        '/_control/stations/positions',
        '/_control/send/requests',
        '/_control/gpd/positions',
        '/_control/nodo/receipts',
      ]) {
        const r = await request(w.baseUrl, 'GET', path, { host: `rebind.evil.example:${port}`, origin: `http://rebind.evil.example:${port}` });
        expect(r.status, path).to.equal(403);
        expect(r.body.error, path).to.match(/Host 'rebind\.evil\.example:\d+' is not this server's/);
      }
      expect((await request(w.baseUrl, 'GET', '/_control/nodo/registry', { host: `localhost:${port}` })).status).to.equal(200);
      expect((await request(w.baseUrl, 'GET', '/_control/nodo/registry', { host: `[::1]:${port}` })).status).to.equal(200);
    });

    it('passwords are masked in the registry and in the journal (request bodies), and nowhere readable', async () => {
      const reg = await request(w.baseUrl, 'GET', '/_control/nodo/registry');
      expect(reg.body.channels.length).to.be.greaterThan(0);
      for (const c of reg.body.channels) expect(c.password).to.equal('***');
      const r = await verify(w);
      expect(r.ok, r.ok ? '' : r.message).to.equal(true);
      const journal = await request(w.baseUrl, 'GET', '/_control/nodo/journal');
      const inbound = (journal.body as { direction: string; request: string }[]).find((e) => e.direction === 'inbound')!;
      expect(inbound.request).to.contain('<password>***</password>');
      expect(JSON.stringify(journal.body)).to.not.contain(PSP.password);
      expect(JSON.stringify(reg.body)).to.not.contain(PSP.password);
      // the programmatic object is untouched: masking is a read-out concern
      expect(w.nodo.registry().channels[0]!.password).to.equal(PSP.password);
      expect(w.journal.list({ party: 'nodo', direction: 'inbound' })[0]!.request).to.contain(`<password>${PSP.password}</password>`);
    });

    it('no CORS header is ever granted (a preflight from another origin gets nothing to go on)', async () => {
      const pre = await request(w.baseUrl, 'OPTIONS', '/_control/nodo/reset', { origin: 'http://evil.example', 'access-control-request-method': 'POST' });
      expect(pre.status).to.equal(403);
      const res = await fetch(`${w.baseUrl}/_control/nodo/registry`);
      expect(res.headers.get('access-control-allow-origin')).to.equal(null);
      expect(res.headers.get('x-powered-by')).to.equal(null);
    });
  });

  describe('with a token (required off loopback)', () => {
    let w: World;
    before(async () => {
      w = await startTestWorld({ token: 's3cret-token' });
    });
    after(async () => w.stop());

    it('no token or a wrong one is 401 on every root; Bearer or X-Control-Token passes', async () => {
      for (const path of ['/_control/nodo/registry', '/_control/stations', '/_control/send/requests', '/_control/gpd/positions', '/_control/nodo/receipts']) {
        const none = await request(w.baseUrl, 'GET', path);
        expect(none.status, path).to.equal(401);
        expect(none.body.error).to.match(/no control token was sent.*Authorization: Bearer <token>/);
        expect((await request(w.baseUrl, 'GET', path, { authorization: 'Bearer nope' })).status, path).to.equal(401);
        expect((await request(w.baseUrl, 'GET', path, { authorization: 'Bearer s3cret-token' })).status, path).to.equal(200);
        expect((await request(w.baseUrl, 'GET', path, { 'x-control-token': 's3cret-token' })).status, path).to.equal(200);
      }
      // SOAP endpoints are not control routes: no token there
      const r = await verify(w);
      expect(r.ok, r.ok ? '' : r.message).to.equal(true);
    });

    it('off loopback a token is always configured: generated when not given, refused to build without one', () => {
      expect(isLoopback('127.0.0.1') && isLoopback('::1') && isLoopback('localhost')).to.equal(true);
      expect(isLoopback('0.0.0.0') || isLoopback('::') || isLoopback('192.168.1.5')).to.equal(false);
      const gen = resolveControlToken('0.0.0.0');
      expect(gen.generated).to.equal(true);
      expect(gen.token).to.match(/^[\w-]{32}$/);
      expect(resolveControlToken('0.0.0.0').token).to.not.equal(gen.token);
      expect(resolveControlToken('127.0.0.1')).to.deep.equal({ generated: false });
      expect(resolveControlToken('0.0.0.0', 'given')).to.deep.equal({ token: 'given', generated: false });
      expect(() => createControlAccess({ host: '0.0.0.0' })).to.throw(/without a token/);
    });
  });

  describe('turned off (--no-control)', () => {
    let w: World;
    before(async () => {
      w = await startTestWorld({ enabled: false });
    });
    after(async () => w.stop());

    it('every control root answers 404 and says how to turn it on; the SOAP ports still serve', async () => {
      for (const path of ['/_control/nodo/registry', '/_control/stations', '/_control/send/requests', '/_control/gpd/positions', '/_control/nodo/receipts']) {
        const r = await request(w.baseUrl, 'GET', path);
        expect(r.status, path).to.equal(404);
        expect(r.body.error).to.match(/control API is turned off \(--no-control\)/);
      }
      expect((await request(w.baseUrl, 'POST', '/_control/nodo/reset', JSON_TYPE, '{}')).status).to.equal(404);
      const r = await verify(w);
      expect(r.ok, r.ok ? '' : r.message).to.equal(true);
    });
  });

  describe('fail closed', () => {
    it('a part mounted without the guard refuses every control route (500, naming the bug) instead of serving it open', async () => {
      const w = createWorld({ registry: registry(), positions: emptyConfig() });
      const app = express();
      app.use(w.nodo.router, w.stations.router, w.gpd.router, w.aca.router, w.send.router); // no control.mount(app)
      const served = await listenApp(app);
      try {
        for (const path of [
          '/_control/nodo/registry',
          '/_control/nodo/receipts',
          '/_control/stations',
          '/_control/send/requests',
          '/_control/gpd/positions',
          '/_control/gpd/receipts',
          '/_control/aca/positions',
          '/_control/nodo/standin',
        ]) {
          const r = await request(served.base, 'GET', path);
          expect(r.status, path).to.equal(500);
          expect(r.body.error, path).to.match(/mounted without the control guard.*createControlAccess\(\.\.\.\)\.mount\(app\)/);
        }
        expect((await request(served.base, 'POST', '/_control/nodo/reset', JSON_TYPE, '{}')).status).to.equal(500);
      } finally {
        await served.close();
        w.nodo.close();
        w.send.close();
      }
    });
  });

  describe('masking', () => {
    it('masks password keys at any depth and <password> texts with any prefix, and libxml2 quotes of them', () => {
      const masked = maskSecrets({
        channels: [{ channelCode: 'c', password: 'p1' }],
        stations: [{ password: '' }],
        nested: { at: new Date(0), list: ['<a:password>xyz</a:password>'] },
      }) as any;
      expect(masked.channels[0].password).to.equal('***');
      expect(masked.stations[0].password).to.equal('');
      expect(masked.nested.list[0]).to.equal('<a:password>***</a:password>');
      expect(masked.nested.at).to.equal('1970-01-01T00:00:00.000Z');
      expect(maskText("Element 'password': [facet 'minLength'] The value 'abc' has a length of '3'")).to.equal(
        "Element 'password': [facet 'minLength'] The value '***' has a length of '3'",
      );
      expect(maskText('<idPSP>1</idPSP><password>PLACEHOLDER</password>')).to.equal('<idPSP>1</idPSP><password>***</password>');
    });
  });
});
