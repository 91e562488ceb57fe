/**
 * The `run --send-port` gateway forwards SEND's API and nothing else: traversal to the
 * attached world's control API (`/send/../_control/...`, encoded or not) is refused before
 * anything is resolved, paths outside SEND's API are 404, and SEND calls still pass.
 */
import { expect } from 'chai';
import http from 'node:http';
import { loadRegistry } from '../../src/nodo/registry.ts';
import { gatewayPath, startSendGateway, type SendGateway } from '../../src/scenario/sendGateway.ts';
import { emptyConfig } from '../../src/station/model.ts';
import { createWorld, type World } from '../../src/world.ts';
import { REGISTRY_FILE } from '../nodo/helpers.ts';

/** A raw request: node:http sends the path as written (fetch would resolve the dots first). */
function raw(base: string, method: string, path: string, body?: string): Promise<{ status: number; text: string }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        method,
        path,
        headers: body ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {},
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

describe('scenario: the --send-port gateway is confined to SEND routes', () => {
  let world: World;
  let gateway: SendGateway;
  let base: string;
  let detach: () => void;
  before(async () => {
    const reg = loadRegistry(REGISTRY_FILE);
    if (!reg.ok) throw new Error('default registry invalid');
    world = createWorld({ registry: reg.registry, positions: emptyConfig() });
    await world.start();
    gateway = await startSendGateway({ port: 0 });
    base = gateway.url.replace(/\/send$/, '');
    detach = gateway.attach(world);
  });
  after(async () => {
    detach();
    await gateway.close();
    await world.stop();
  });

  it('refuses traversal to the control API (plain, encoded, backslash) with 400 and leaves the registry alone', async () => {
    const channels = world.nodo.registry().channels.length;
    for (const path of [
      '/send/../_control/nodo/registry',
      '/send/%2e%2e/_control/nodo/registry',
      '/send/%2E%2E%2F_control/nodo/registry',
      '/send/..%2f_control/nodo/registry',
      '/send/delivery/../../_control/nodo/registry',
      '/send/.%2e/_control/nodo/registry',
      '/send\\..\\_control/nodo/registry',
      '/send/./delivery/v2.6/requests',
    ]) {
      const r = await raw(base, 'GET', path);
      expect(r.status, path).to.equal(400);
      expect(r.text, path).to.contain('dot segment');
      expect(r.text, path).to.not.contain('channels');
    }
    const put = await raw(base, 'PUT', '/send/../_control/nodo/registry', '{}');
    expect(put.status).to.equal(400);
    expect(world.nodo.registry().channels.length).to.equal(channels);
  });

  it('answers 404 for anything outside /send/delivery/ (the control API, schemas, the Nodo)', async () => {
    for (const path of ['/_control/nodo/registry', '/send/_control/nodo/registry', '/nodo', '/_schemas/x', '/send', '/']) {
      const r = await raw(base, 'GET', path);
      expect(r.status, path).to.equal(404);
      expect(r.text, path).to.contain("only SEND's API");
    }
  });

  it("still forwards SEND's API, with or without the /send prefix", async () => {
    for (const path of ['/send/delivery/v2.3/price/77777777777/301000000000100121', '/delivery/v2.3/price/77777777777/301000000000100121']) {
      const r = await raw(base, 'GET', path);
      expect(r.status, `${path}: ${r.text}`).to.be.oneOf([200, 404]);
      expect(r.text).to.not.contain("only SEND's API");
    }
    expect(world.send.priceCalls()).to.have.length(2);
  });

  it('maps paths as documented', () => {
    expect(gatewayPath('/send/delivery/v2.6/requests?x=1')).to.deep.equal({ ok: true, path: '/send/delivery/v2.6/requests?x=1' });
    expect(gatewayPath('/delivery/v2.6/requests')).to.deep.equal({ ok: true, path: '/send/delivery/v2.6/requests' });
    expect(gatewayPath('/send/delivery/a?next=../x')).to.deep.equal({ ok: true, path: '/send/delivery/a?next=../x' });
    expect(gatewayPath('http://evil/send/delivery/x')).to.deep.include({ ok: false, status: 400 });
  });
});
