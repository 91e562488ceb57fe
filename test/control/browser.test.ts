/**
 * The control API from a real browser's point of view (Debian chromium via playwright-core):
 * a hostile page on another origin cannot reset the Nodo or rewrite the registry with the
 * requests a page can send without a preflight (text/plain fetch, form post); a DNS
 * rebinding page (its name mapped to 127.0.0.1 by --host-resolver-rules, so the browser
 * treats the world as same-origin) reads nothing and changes nothing; and a page served
 * from the world's own origin uses the API as the guard's contract says.
 */
import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_FLAGS } from '../support/chromium.ts';
import { loadRegistry } from '../../src/nodo/registry.ts';
import { emptyConfig } from '../../src/station/model.ts';
import { callSoap } from '../../src/soap/client.ts';
import { wrap } from '../../src/soap/envelope.ts';
import { NS } from '../../src/xml/schemas.ts';
import { createWorld, type World } from '../../src/world.ts';
import { listenApp, type Served } from '../support/loopback.ts';
import { EC, PSP, position, REGISTRY_FILE, notice } from '../nodo/helpers.ts';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const NN = notice(3, '01', 72);

describe('control API from a browser (chromium)', function () {
  this.timeout(60_000);
  let world: World;
  let attacker: Served;
  let browser: BrowserContext;
  let page: Page;
  let profile: string;
  let port: string;

  before(async function () {
    if (!CHROMIUM) this.skip(); // apt-get install -y chromium (the CI script does it)
    const reg = loadRegistry(REGISTRY_FILE);
    if (!reg.ok) throw new Error('default registry invalid');
    world = createWorld({ registry: reg.registry, positions: { ...emptyConfig(), positions: [position(EC, NN)] }, seed: 'browser' });
    await world.start();
    port = new URL(world.baseUrl).port;
    const target = world.baseUrl;
    // The hostile page: everything a page can send to another origin without a CORS preflight.
    const app = express();
    app.get('/', (_req, res) => {
      res.type('html').send(`<!doctype html><html><body>
<form id="f" method="POST" action="${target}/_control/nodo/reset" enctype="text/plain" target="sink"><input name='{"a":"' value='"}'></form>
<iframe name="sink"></iframe>
<script>
window.attack = async () => {
  const out = [];
  for (const [path, init] of [
    ['/_control/nodo/reset', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: '{}' }],
    ['/_control/nodo/reset', { method: 'POST', mode: 'no-cors' }],
    ['/_control/stations/reset', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' }],
    ['/_control/nodo/registry', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' }],
  ]) {
    try { const r = await fetch('${target}' + path, init); out.push(path + ' ' + r.type + ' ' + r.status); } catch (e) { out.push(path + ' blocked ' + e.name); }
  }
  try { const r = await fetch('${target}/_control/nodo/registry'); out.push('read ' + r.status + ' ' + (await r.text()).length); } catch (e) { out.push('read blocked ' + e.name); }
  const sink = document.querySelector('iframe[name=sink]');
  await new Promise((done) => { sink.onload = done; document.getElementById('f').submit(); });
  out.push('form posted');
  return out;
};
</script></body></html>`);
    });
    attacker = await listenApp(app);
    profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
    // A fresh profile each run; --host-resolver-rules plays the rebinding DNS server.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_FLAGS, '--host-resolver-rules=MAP rebind.test 127.0.0.1'],
    });
    page = await browser.newPage();
  });

  after(async () => {
    await browser?.close();
    await attacker?.close();
    await world?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  /** A live payment session, the registry and a position's state: what a successful attack would wipe. */
  function state() {
    return { sessions: world.nodo.sessions().length, channels: world.nodo.registry().channels.length, position: world.stations.position(EC, NN)?.state };
  }

  async function activate(): Promise<void> {
    const r = await callSoap({
      url: world.nodoUrl,
      soapAction: 'activatePaymentNoticeV2',
      envelope: wrap({
        'nfp:activatePaymentNoticeV2Request': { '@_xmlns:nfp': NS.nodeForPsp, ...PSP, qrCode: { fiscalCode: EC, noticeNumber: NN }, amount: '100.00' },
      }),
      timeoutMs: 60_000,
      expectResponse: 'activatePaymentNoticeV2Response',
    });
    if (!r.ok || (r.message.bodyChild.value as { outcome?: string }).outcome !== 'OK')
      throw new Error(`activation failed: ${r.ok ? JSON.stringify(r.message.bodyChild.value) : r.message}`);
  }

  it('a page on another origin changes nothing with no-cors fetches, a form post or a JSON PUT, and reads nothing', async () => {
    world.nodo.reset();
    await activate();
    world.stations.setPositionState(EC, NN, 'cancelled'); // a stations reset would make it payable again
    const before = state();
    expect(before).to.deep.include({ sessions: 1, position: 'cancelled' });
    await page.goto(`${attacker.base}/`);
    const out = (await page.evaluate('window.attack()')) as string[];
    expect(out.find((l) => l.startsWith('/_control/nodo/registry '))).to.match(/blocked TypeError/); // preflight refused
    expect(out.find((l) => l.startsWith('read '))).to.match(/^read blocked TypeError/); // no CORS header: unreadable
    expect(out.at(-1)).to.equal('form posted');
    expect(state(), 'a cross-origin page changed the world').to.deep.equal(before);
  });

  it('a DNS rebinding page (same origin for the browser, foreign Host for us) gets 403 and changes nothing', async () => {
    // After the rebinding the attacker's page runs at http://rebind.test:<port> and the name
    // resolves to 127.0.0.1; any document of that origin will do to run its script (here the
    // WSDL, loaded through the rebound name, so the browser sees a local page, as it would).
    await page.goto(`http://rebind.test:${port}/nodo?wsdl`);
    const before = state();
    const read = (await page.evaluate(`fetch('/_control/nodo/registry').then(async (r) => [r.status, await r.text()])`)) as [number, string];
    expect(read[0]).to.equal(403);
    expect(read[1]).to.match(/Host 'rebind\.test:\d+' is not this server's/);
    expect(read[1]).to.not.contain('channels');
    const reset = (await page.evaluate(
      `fetch('/_control/nodo/reset', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then((r) => r.status)`,
    )) as number;
    expect(reset).to.equal(403);
    expect(state()).to.deep.equal(before);
  });

  it("a page served from the world's own origin reads (passwords masked) and acts with JSON bodies", async () => {
    const url = `${world.baseUrl}/explorer-test`;
    await page.route(url, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>explorer</title>' }));
    await page.goto(url);
    const read = (await page.evaluate(`fetch('/_control/nodo/registry').then((r) => r.json())`)) as { channels: { password: string }[] };
    expect(read.channels[0]!.password).to.equal('***');
    const reset = (await page.evaluate(
      `fetch('/_control/nodo/reset', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then((r) => r.status)`,
    )) as number;
    expect(reset).to.equal(200);
    expect(world.nodo.sessions()).to.have.length(0);
  });
});
