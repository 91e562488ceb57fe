/**
 * `station-harness nodo`: spawned for real next to `station-harness station`, the printed
 * nodeForPsp URL pays a verify against the reference station given with --station; Ctrl-C
 * (SIGINT) exits 130; configuration errors exit 2 with file:line:col.
 */
import { runInProcess } from '../support/cli.ts';
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCENARIOS_DIR } from '../../src/paths.ts';
import { spawnCli, type Spawned } from '../support/spawn.ts';
import { callSoap } from '../../src/soap/client.ts';
import { wrap } from '../../src/soap/envelope.ts';
import { NS } from '../../src/xml/schemas.ts';
import { PSP, REGISTRY_FILE } from './helpers.ts';

const POSITIONS = join(SCENARIOS_DIR, 'fixtures', 'positions.example.yaml');

type Proc = Spawned;
const start = (args: string[]): Proc => spawnCli(args);

async function stop(p: Proc | undefined, signal: NodeJS.Signals = 'SIGINT') {
  if (!p || p.child.exitCode !== null) return p?.done;
  p.child.kill(signal);
  return p.done;
}

const verify = (nodoUrl: string, noticeNumber: string) =>
  callSoap({
    url: nodoUrl,
    soapAction: 'verifyPaymentNotice',
    envelope: wrap({ 'nfp:verifyPaymentNoticeReq': { '@_xmlns:nfp': NS.nodeForPsp, ...PSP, qrCode: { fiscalCode: '77777777777', noticeNumber } } }),
    timeoutMs: 60_000, // beyond the Nodo's own 7 s station timeout: the verdict is the Nodo's, never our impatience
    expectResponse: 'verifyPaymentNoticeRes',
  });

describe('nodo: CLI `station-harness nodo`', function () {
  this.timeout(60_000);
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'nodo-cli-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  describe('with a reference station started by `station-harness station`', () => {
    let station: Proc | undefined;
    let stationUrl: string;
    before(async () => {
      station = start(['station', '--positions', POSITIONS, '--port', '0']);
      stationUrl = (await station.waitFor(/^77777777777_01\s+(http:\/\/\S+)/m))[1]!;
    });
    after(async () => {
      await stop(station, 'SIGTERM');
    });

    it('prints its nodeForPsp URL, relays verifyPaymentNotice to the --station URL, logs it, and exits 130 on SIGINT', async () => {
      const nodo = start(['nodo', '--registry', 'scenarios/fixtures/registry.default.yaml', '--port', '0', '--station', `77777777777_01=${stationUrl}`]);
      let exit: { code: number | null } | undefined;
      try {
        const url = (await nodo.waitFor(/^(http:\/\/127\.0\.0\.1:\d+\/nodo)$/m))[1]!;
        const ok = await verify(url, '301000000000100121');
        if (!ok.ok) throw new Error(ok.message);
        const body = ok.message.bodyChild.value as Record<string, unknown>;
        expect(body['outcome']).to.equal('OK');
        expect(body['paymentDescription']).to.equal('TARI 2026 rata unica');
        // a notice the station does not hold: the station's PAA fault relayed by the Nodo
        const ko = await verify(url, '301000000000999913');
        if (!ko.ok) throw new Error(ko.message);
        expect((ko.message.bodyChild.value as { fault: Record<string, string> }).fault).to.include({
          faultCode: 'PPT_ERRORE_EMESSO_DA_PAA',
          originalFaultCode: 'PAA_PAGAMENTO_SCONOSCIUTO',
        });
        const wsdl = await fetch(`${url}?wsdl`);
        expect(wsdl.status).to.equal(200);
        expect(await wsdl.text()).to.contain(`location="${url}"`);
        const journal = (await (await fetch(url.replace(/\/nodo$/, '/_control/nodo/journal?operation=paVerifyPaymentNotice'))).json()) as { to: string }[];
        expect(journal.map((e) => e.to)).to.deep.equal(['station:77777777777_01', 'station:77777777777_01']);
        // issue 18 item 7: no stack trace, path or X-Powered-By in the standalone Nodo's answers
        for (const path of ['/_control/nodo/receipts/payments/%ZZ', '/_schemas/wsdl/xsd/%ZZ']) {
          const bad = await fetch(url.replace(/\/nodo$/, path));
          const text = await bad.text();
          expect(bad.status, text).to.equal(400);
          expect(text).to.not.match(/\n\s+at |node_modules|\.ts:\d+/);
          expect(bad.headers.get('x-powered-by')).to.equal(null);
        }
        expect(wsdl.headers.get('x-powered-by')).to.equal(null);
      } finally {
        exit = await stop(nodo, 'SIGINT');
      }
      expect(exit?.code, nodo.stderr()).to.equal(130);
      expect(nodo.stderr()).to.match(/psp → nodo verifyPaymentNotice OK/);
      expect(nodo.stderr()).to.match(/nodo → station:77777777777_01 paVerifyPaymentNotice OK/);
      expect(nodo.stderr()).to.contain('stopping the mock Nodo');
      expect(station!.stderr()).to.match(/station:77777777777_01 ← paVerifyPaymentNotice 301000000000100121 → OK/);
    });

    it('calls a station whose registry endpoint is its http URL, without --station', async () => {
      const file = join(tmp, 'registry-url.yaml');
      writeFileSync(file, readFileSync(REGISTRY_FILE, 'utf8').replace(/(stationCode: "77777777777_01"\n(?:.*\n)*?\s+endpoint: )reference/, `$1${stationUrl}`));
      const nodo = start(['nodo', '--registry', file, '--port', '0']);
      try {
        const url = (await nodo.waitFor(/^(http:\/\/127\.0\.0\.1:\d+\/nodo)$/m))[1]!;
        const r = await verify(url, '301000000000100121');
        if (!r.ok) throw new Error(r.message);
        expect((r.message.bodyChild.value as Record<string, unknown>)['outcome']).to.equal('OK');
      } finally {
        await stop(nodo, 'SIGINT');
      }
    });
  });

  describe('signals and the control API flags', () => {
    it('SIGTERM stops it cleanly: exit 143 and a message that names SIGTERM', async () => {
      const nodo = start(['nodo', '--registry', REGISTRY_FILE, '--port', '0']);
      await nodo.waitFor(/^(http:\/\/127\.0\.0\.1:\d+\/nodo)$/m);
      const exit = await stop(nodo, 'SIGTERM');
      expect(exit?.code, nodo.stderr()).to.equal(143);
      expect(nodo.stderr()).to.contain('SIGTERM received: stopping the mock Nodo');
    });

    it('bound off loopback (--host 0.0.0.0) it prints a generated control token and requires it; --control-token chooses it', async () => {
      const nodo = start(['nodo', '--registry', REGISTRY_FILE, '--port', '0', '--host', '0.0.0.0']);
      try {
        const port = (await nodo.waitFor(/^http:\/\/0\.0\.0\.0:(\d+)\/nodo$/m))[1]!;
        const token = /control API token \(bound to 0\.0\.0\.0, off loopback\): (\S+)/.exec(nodo.stderr())?.[1];
        expect(token, nodo.stderr()).to.be.a('string');
        const url = `http://127.0.0.1:${port}/_control/nodo/registry`;
        expect((await fetch(url)).status).to.equal(401);
        const ok = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
        expect(ok.status).to.equal(200);
        expect(((await ok.json()) as { channels: { password: string }[] }).channels[0]!.password).to.equal('***');
        // the SOAP port needs no token
        expect((await verify(`http://127.0.0.1:${port}/nodo`, '301000000000100121')).ok).to.equal(true);
      } finally {
        await stop(nodo, 'SIGINT');
      }
      const chosen = start(['nodo', '--registry', REGISTRY_FILE, '--port', '0', '--control-token', 'my-token-123']);
      try {
        const base = (await chosen.waitFor(/^(http:\/\/127\.0\.0\.1:\d+)\/nodo$/m))[1]!;
        expect((await fetch(`${base}/_control/nodo/sessions`)).status).to.equal(401);
        expect((await fetch(`${base}/_control/nodo/sessions`, { headers: { 'x-control-token': 'my-token-123' } })).status).to.equal(200);
      } finally {
        await stop(chosen, 'SIGINT');
      }
    });

    it('--no-control answers 404 on every control route', async () => {
      const nodo = start(['nodo', '--registry', REGISTRY_FILE, '--port', '0', '--no-control']);
      try {
        const base = (await nodo.waitFor(/^(http:\/\/127\.0\.0\.1:\d+)\/nodo$/m))[1]!;
        for (const path of ['/_control/nodo/registry', '/_control/nodo/receipts', '/_control/nodo/sessions'])
          expect((await fetch(`${base}${path}`)).status, path).to.equal(404);
        expect(nodo.stderr()).to.contain('control API off (--no-control)');
      } finally {
        await stop(nodo, 'SIGINT');
      }
    });
  });

  describe('configuration errors exit 2', () => {
    it('a registry that breaks a rule: file:line:col and the rule', async () => {
      const bad = join(tmp, 'bad.yaml');
      const original = readFileSync(REGISTRY_FILE, 'utf8');
      const text = original.replace(
        'stationCode: "77777777777_02", auxDigit: 3, segregationCode: "02"',
        'stationCode: "77777777777_02", auxDigit: 3, segregationCode: "01"',
      );
      expect(text, 'the fixture still has the association this test breaks').not.to.equal(original);
      writeFileSync(bad, text);
      const line = text.split('\n').findIndex((l) => l.includes('"77777777777_02", auxDigit: 3, segregationCode: "01"')) + 1;
      const r = await runInProcess(['nodo', '--registry', bad, '--port', '0']);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/^Failed to load the registry:/);
      expect(r.stderr).to.match(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}:\\d+ .*segregation code 01`));
    });

    it('unknown keys and missing fields are located too', async () => {
      const bad = join(tmp, 'keys.yaml');
      writeFileSync(bad, 'stations:\n  - stationCode: "S_01"\n    brokerCode: "77777777777"\n    colour: blue\n');
      const r = await runInProcess(['nodo', '--registry', bad, '--port', '0']);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.contain(`${bad}:2:5 Failed to load the registry: stations[0] lacks 'endpoint'`);
      expect(r.stderr).to.match(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:\\d+ Failed to load the registry: unknown key 'colour'`));
    });

    it('YAML that does not parse: exit 2 with its line', async () => {
      const bad = join(tmp, 'syntax.yaml');
      writeFileSync(bad, 'stations:\n  - stationCode: "S_01\n    brokerCode: [\n');
      const r = await runInProcess(['nodo', '--registry', bad]);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ `));
    });

    it('no --registry, a missing file, a bad --port or --station is exit 2 with what to do', async () => {
      expect(await runInProcess(['nodo'])).to.deep.include({ code: 2 });
      expect((await runInProcess(['nodo'])).stderr).to.match(/Pass --registry <file>/);
      const missing = await runInProcess(['nodo', '--registry', join(tmp, 'none.yaml')]);
      expect(missing.code).to.equal(2);
      expect(missing.stderr).to.match(/none\.yaml/);
      const port = await runInProcess(['nodo', '--registry', REGISTRY_FILE, '--port', '70000']);
      expect(port.code).to.equal(2);
      expect(port.stderr).to.match(/--port '70000' is not a port number/);
      const st = await runInProcess(['nodo', '--registry', REGISTRY_FILE, '--station', '77777777777_01']);
      expect(st.code).to.equal(2);
      expect(st.stderr).to.match(/expected <stationCode>=<http\(s\) URL>/);
    });
  });
});
