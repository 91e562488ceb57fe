import { runInProcess } from '../support/cli.ts';
import { expect } from 'chai';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCENARIOS_DIR } from '../../src/paths.ts';
import { spawnCli } from '../support/spawn.ts';
import { EXAMPLE } from './helpers.ts';

/** The bin spawned for real; `done` also gives what it printed. */
function run(args: string[]) {
  const p = spawnCli(args);
  return { ...p, done: p.done.then((r) => ({ code: r.code, stdout: p.stdout(), stderr: p.stderr() })) };
}

describe('station: CLI `station-harness station`', function () {
  this.timeout(60_000);
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'station-cli-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('prints the station URLs, serves verify, logs the exchange and stops on SIGTERM with exit 143 and a message', async () => {
    // --positions repeated: the files are served together.
    const p = run(['station', '--positions', EXAMPLE, '--positions', join(SCENARIOS_DIR, 'fixtures', 'positions.send.yaml'), '--port', '0']);
    try {
      await p.waitFor(/control API/);
      const url = /77777777777_01\s+(http:\/\/\S+)/.exec(p.stdout())?.[1];
      expect(url, p.stdout()).to.be.a('string');
      const wsdl = await fetch(`${url}?wsdl`);
      expect(await wsdl.text()).to.contain(`location="${url}"`);
      const env = `<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><pafn:paVerifyPaymentNoticeReq xmlns:pafn="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd"><idPA>77777777777</idPA><idBrokerPA>77777777777</idBrokerPA><idStation>77777777777_01</idStation><qrCode><fiscalCode>77777777777</fiscalCode><noticeNumber>301000000000100121</noticeNumber></qrCode></pafn:paVerifyPaymentNoticeReq></soapenv:Body></soapenv:Envelope>`;
      const res = await fetch(url!, { method: 'POST', headers: { 'content-type': 'text/xml', SOAPAction: 'paVerifyPaymentNotice' }, body: env });
      expect(await res.text()).to.contain('<outcome>OK</outcome>');
      const second = await fetch(url!, {
        method: 'POST',
        headers: { 'content-type': 'text/xml', SOAPAction: 'paVerifyPaymentNotice' },
        body: env.replace('301000000000100121', '301000000010092967'),
      });
      expect(await second.text(), 'the notice of the second positions file').to.contain('<outcome>OK</outcome>');
      // issue 18 item 7: no stack trace, path or X-Powered-By in the standalone stations' answers
      const bad = await fetch(`${new URL(url!).origin}/stations/%ZZ`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml', SOAPAction: 'paVerifyPaymentNotice' },
        body: env,
      });
      const badText = await bad.text();
      expect(bad.status, badText).to.equal(500);
      expect(badText).to.contain('<faultcode>soapenv:Client</faultcode>');
      expect(badText).to.not.match(/\n\s+at |node_modules|\.ts:\d+/);
      expect(res.headers.get('x-powered-by')).to.equal(null);
      expect(bad.headers.get('x-powered-by')).to.equal(null);
    } finally {
      p.child.kill('SIGTERM');
    }
    const r = await p.done;
    expect(r.code, r.stderr).to.equal(143);
    expect(r.stderr).to.match(/station:77777777777_01 ← paVerifyPaymentNotice 301000000000100121 → OK/);
    expect(r.stderr).to.contain('SIGTERM received: stopping the stations');
  });

  it('exits 2 with file:line:col on a bad positions file', async () => {
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(
      bad,
      'stations:\n  - idStation: "S1"\n    idBrokerPA: "B"\n    ecs: ["77777777777"]\npositions:\n  - fiscalCode: "77777777777"\n    noticeNumber: 301000000000100121\n    description: x\n    transfers: []\n',
    );
    const r = await runInProcess(['station', '--positions', bad]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain(`${bad}:7:19 /positions/0/noticeNumber must be a quoted string`);
    expect(r.stderr).to.contain(`${bad}:9:16 /positions/0/transfers must NOT have fewer than 1 items`);
  });

  it('exits 2 when --positions is missing or the file does not exist', async () => {
    const r1 = await runInProcess(['station']);
    expect(r1.code).to.equal(2);
    expect(r1.stderr).to.match(/^Failed to start the stations: --positions is required/);
    const r2 = await runInProcess(['station', '--positions', join(tmp, 'none.yaml')]);
    expect(r2.code).to.equal(2);
    expect(r2.stderr).to.match(/no such file/);
  });
});
