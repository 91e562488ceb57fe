/**
 * `station-harness serve` spawned for real through the bin: the banner lists every URL and each
 * answers; the README's curl walkthrough, run exactly as written (only the port changes), pays the
 * demo notice and the receipts reach all three recipients; the README's stand-in walkthrough pays a
 * notice from ACA and the probes end stand-in; the log prints in causal order;
 * SIGTERM exits 143 and SIGINT 130; killing the pid `npx` gave us stops the server (no orphan);
 * bad files and a busy port exit 2 with what to fix.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/paths.ts';
import { runInProcess } from '../support/cli.ts';
import { spawnCli, spawnCommand, type Spawned } from '../support/spawn.ts';

/** The shell block that follows a walkthrough marker (`<!-- serve-walkthrough: ... -->`) in the README. */
function readmeWalkthrough(marker = 'serve-walkthrough'): string {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const m = new RegExp(`<!-- ${marker}:[^>]*-->\\s*\`\`\`sh\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!m) throw new Error(`README.md lacks the ${marker} block`);
  return m[1]!;
}

function bash(script: string, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['-euo', 'pipefail', '-c', script], { cwd, timeout: 60_000, maxBuffer: 10_000_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/**
 * Polls `fn` (another process's state: nothing to subscribe to) until it gives a value. No deadline of
 * its own: however slow a loaded machine, only the test's timeout ends the wait.
 */
async function waitUntil<T>(fn: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** True once nothing listens at `base` any more (connection refused); a slow answer is not taken for a stop. */
const untilRefused = (base: string) =>
  waitUntil(async () => {
    try {
      await fetch(`${base}/nodo?wsdl`);
      return undefined;
    } catch (e) {
      return (e as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED' ? true : undefined;
    }
  });

describe('serve: the command', function () {
  this.timeout(90_000);
  let serve: Spawned | undefined;
  let base = '';
  let dir = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'serve-readme-'));
    serve = spawnCli(['serve', '--port', '0']);
    base = (await serve.waitFor(/^explorer\s+(http:\/\/127\.0\.0\.1:\d+)\//m))[1]!;
    await serve.waitFor(/serve ready/, 'stderr');
  });
  after(async () => {
    await serve?.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints every URL (explorer, nodeForPsp, each station, GPD, SEND, each ?wsdl) and each answers', async () => {
    const out = serve!.stdout();
    for (const id of ['77777777777_01', '77777777777_02', '22222222222_01', '99999999999_01']) expect(out).to.contain(`${base}/stations/${id}?wsdl`);
    for (const u of [`${base}/nodo?wsdl`, `${base}/gpd/paForNode?wsdl`, `${base}/gpd`, `${base}/send`, `${base}/_control`]) expect(out).to.contain(u);
    const wsdls = [...out.matchAll(/WSDL (\S+)/g)].map((m) => m[1]!);
    expect(wsdls.length).to.equal(6);
    for (const w of wsdls) {
      const r = await fetch(w);
      expect(r.status, w).to.equal(200);
      expect(await r.text(), w).to.match(/<wsdl:definitions|<definitions/);
    }
    // ACA and GPD's receipts API are served, behind APIM's subscription key.
    expect(out).to.contain(`ACA                 ${base}/aca/v1/paCreatePosition`);
    expect(out).to.contain(`GPD receipts        ${base}/gpd/payments/<fiscalCode>/receipts`);
    expect(out).to.contain(`stand-in            ${base}/_control/nodo/standin`);
    const key = /^subscription key\s+(\S+)/m.exec(out)![1]!;
    expect((await fetch(`${base}/aca/v1/paCreatePosition`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status).to.equal(
      401,
    );
    const receipts = await fetch(`${base}/gpd/payments/55555555555/receipts`, { headers: { 'Ocp-Apim-Subscription-Key': key } });
    expect(receipts.status).to.equal(200);
    expect(((await receipts.json()) as { results: unknown[] }).results).to.deep.equal([]);
    const page = await fetch(`${base}/`);
    expect(await page.text()).to.contain('station-harness explorer');
    const js = await fetch(`${base}/_explorer/explorer.js`);
    expect(js.status).to.equal(200);
    expect(await js.text()).to.contain('XmlEditor');
  });

  it("runs the README's curl walkthrough as written: verify, activate, outcome OK, three receipts delivered", async () => {
    const script = readmeWalkthrough().replaceAll('127.0.0.1:8090', base.replace('http://', ''));
    const r = await bash(script, dir);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/<nfp:verifyPaymentNoticeRes[\s\S]*?<outcome>OK<\/outcome>[\s\S]*?<amount>120\.00<\/amount>/);
    expect(r.stdout).to.match(/<nfp:activatePaymentNoticeV2Response[\s\S]*?<outcome>OK<\/outcome>/);
    expect(r.stdout).to.match(/<nfp:sendPaymentOutcomeV2Response[\s\S]*?<outcome>OK<\/outcome>/);
    const token = /<paymentToken>([0-9a-f]{32})<\/paymentToken>/.exec(r.stdout)![1]!;
    const listed = JSON.parse(r.stdout.slice(r.stdout.lastIndexOf('\n{') + 1)) as { recipients: Array<{ rule: string; idStation: string }> };
    expect(listed.recipients.map((x) => `${x.rule} ${x.idStation}`)).to.have.members([
      'R-PRIMARY 77777777777_01',
      'R-SECONDARY 22222222222_01',
      'R-PRIMARY-BROADCAST 99999999999_01',
    ]);
    // Delivery is asynchronous: wait until every recipient is settled, then require NOTIFIED with an OK answer.
    const settled = await waitUntil(async () => {
      const rec = (await (await fetch(`${base}/_control/nodo/receipts/payments/${token}`)).json()) as {
        recipients: Array<{ state: string; idStation: string; primitive: string; attempts: Array<{ result: string }> }>;
      };
      return rec.recipients.every((x) => x.state !== 'NOTICE_SENT' && x.state !== 'NOTICE_GENERATED') ? rec : undefined;
    });
    for (const x of settled.recipients) {
      expect(x.state, x.idStation).to.equal('NOTIFIED');
      expect(x.primitive).to.equal('paSendRTV2');
      expect(x.attempts.map((a) => a.result)).to.deep.equal(['OK']);
    }
  });

  it("runs the README's spontaneous-payment walkthrough as written: the catalogue, then demandPaymentNotice creates a new notice at station _01", async () => {
    const r = await bash(readmeWalkthrough('serve-walkthrough-spontaneous').replaceAll('127.0.0.1:8090', base.replace('http://', '')), dir);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/<cs:listaCatalogoServizi[\s\S]*?<idServizio>00001<\/idServizio>[\s\S]*?<idSoggettoServizio>00001<\/idSoggettoServizio>/);
    const m =
      /<nfp:demandPaymentNoticeResponse[\s\S]*?<outcome>OK<\/outcome>[\s\S]*?<noticeNumber>(3019\d{14})<\/noticeNumber>[\s\S]*?<amount>16\.00<\/amount>/.exec(
        r.stdout,
      );
    expect(m, r.stdout).to.not.equal(null);
    const { exchanges } = (await (await fetch(`${base}/_control/journal?operation=paDemandPaymentNotice`)).json()) as {
      exchanges: { party: string; meta: Record<string, string> }[];
    };
    expect(
      exchanges.map((x) => `${x.party} ${x.meta['noticeNumber']}`),
      'the station created the notice',
    ).to.include(`station:77777777777_01 ${m![1]}`);
  });

  it('logs in causal order: a PSP request before the station call it caused, a call before the callee’s record of it', async () => {
    const log = await waitUntil(async () => {
      const text = serve!.stderr();
      return (text.match(/station:\S+ ← nodo paSendRTV2/g) ?? []).length >= 3 ? text : undefined;
    });
    const lines = log.split('\n');
    const idx = (re: RegExp) => lines.findIndex((l) => re.test(l));
    const verify = /#(\d+) psp → nodo verifyPaymentNotice 301000000000010151 OK/.exec(log);
    expect(verify, log).to.not.equal(null);
    const id = verify![1]!;
    const psp = idx(new RegExp(`#${id} psp → nodo verifyPaymentNotice`));
    const call = idx(new RegExp(`#${id} +nodo → station:77777777777_01 paVerifyPaymentNotice`));
    const served = idx(new RegExp(`#${id} +station:77777777777_01 ← nodo paVerifyPaymentNotice`));
    expect(psp).to.be.greaterThan(-1);
    expect(call).to.be.greaterThan(psp);
    expect(served).to.be.greaterThan(call);
    const outcome = /#(\d+) psp → nodo sendPaymentOutcomeV2/.exec(log)![1]!;
    for (const station of ['77777777777_01', '22222222222_01', '99999999999_01']) {
      const sent = idx(new RegExp(`#${outcome} +nodo → station:${station} paSendRTV2 .*attempt 1`));
      const got = idx(new RegExp(`#${outcome} +station:${station} ← nodo paSendRTV2`));
      expect(sent, `${station} in\n${log}`).to.be.greaterThan(idx(new RegExp(`#${outcome} psp → nodo`)));
      expect(got, station).to.be.greaterThan(sent);
    }
  });

  it('GET /_control lists the control roots and GET /_control/nodo its routes', async () => {
    const roots = (await (await fetch(`${base}/_control`)).json()) as { roots: Array<{ root: string }> };
    expect(roots.roots.map((r) => r.root)).to.include.members([
      '/_control/nodo',
      '/_control/stations',
      '/_control/gpd',
      '/_control/aca',
      '/_control/send',
      '/_control/journal',
      '/_control/explorer',
    ]);
    const nodo = (await (await fetch(`${base}/_control/nodo`)).json()) as { routes: Array<{ method: string; path: string }> };
    const routes = nodo.routes.map((r) => `${r.method} ${r.path}`);
    expect(routes).to.include.members([
      'GET /_control/nodo/journal',
      'POST /_control/nodo/reset',
      'POST /_control/nodo/clock/advance',
      'GET /_control/nodo/receipts',
      'GET /_control/nodo/sessions/:token',
      'GET /_control/nodo/standin',
      'POST /_control/nodo/standin/stations/:station',
    ]);
    const stations = (await (await fetch(`${base}/_control/stations`)).json()) as { stations: unknown[]; routes: Array<{ method: string; path: string }> };
    expect(stations.stations).to.have.length(4);
    expect(stations.routes.map((r) => `${r.method} ${r.path}`)).to.include('POST /_control/stations/injections');
  });

  it("runs the README's stand-in walkthrough as written: ACA conferral, a payment answered from ACA, the standIn receipt accepted, the probes ending stand-in, an async EC's receipts from GPD", async () => {
    const script = readmeWalkthrough('serve-standin-walkthrough').replaceAll('127.0.0.1:8090', base.replace('http://', ''));
    const from = ((await (await fetch(`${base}/_control/journal`)).json()) as { lastSeq: number }).lastSeq;
    const r = await bash(script, dir);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/"iuv":"01000000000010252","nav":"301000000000010252","amount":3000,.*"status":"VALID"/);
    expect(r.stdout).to.match(/<nfp:verifyPaymentNoticeRes[\s\S]*?<outcome>OK<\/outcome>[\s\S]*?<amount>30\.00<\/amount>[\s\S]*?<standin>true<\/standin>/);
    expect(r.stdout).to.match(/<nfp:activatePaymentNoticeV2Response[\s\S]*?<transferCategory>STAND-IN<\/transferCategory>[\s\S]*?<standin>true<\/standin>/);
    const [standInToken, gpdToken] = [...r.stdout.matchAll(/<paymentToken>([0-9a-f]{32})<\/paymentToken>/g)].map((m) => m[1]!);
    expect(gpdToken, r.stdout).to.be.a('string');

    // Stand-in answered from ACA: the EC's station got the probes, never the PSP's verify or activate.
    const { exchanges } = (await (await fetch(`${base}/_control/journal?since=${from}`)).json()) as {
      exchanges: Array<{ seq: number; from: string; to: string; operation: string; request: string; meta: Record<string, unknown> }>;
    };
    const toStation = exchanges.filter((e) => e.from === 'nodo' && e.to === 'station:77777777777_01' && /^pa(Verify|GetPayment)/.test(e.operation));
    expect(
      toStation.filter((e) => e.meta['noticeNumber'] === '301000000000010252'),
      'the station in stand-in was called',
    ).to.deep.equal([]);
    expect(toStation.length, 'probes').to.be.greaterThan(6);
    expect(exchanges.some((e) => e.to === 'station:aca-payments' && e.operation === 'paGetPaymentV2')).to.equal(true);

    // The stand-in receipt: standIn true to the EC's station (flagStandIn), no element to the partner's; both accepted.
    const settled = await waitUntil(async () => {
      const rec = (await (await fetch(`${base}/_control/nodo/receipts/payments/${standInToken}`)).json()) as {
        recipients: Array<{ rule: string; state: string; idStation: string; attempts: Array<{ result: string; journalSeq: number }> }>;
      };
      return rec.recipients.every((x) => x.state !== 'NOTICE_SENT' && x.state !== 'NOTICE_GENERATED') ? rec : undefined;
    });
    expect(settled.recipients.map((x) => `${x.rule} ${x.idStation} ${x.state}`)).to.have.members([
      'R-PRIMARY 77777777777_01 NOTIFIED',
      'R-PRIMARY-BROADCAST 99999999999_01 NOTIFIED',
    ]);
    const all = ((await (await fetch(`${base}/_control/journal?since=${from}`)).json()) as { exchanges: typeof exchanges }).exchanges;
    const sent = (station: string) => all.find((e) => e.seq === settled.recipients.find((x) => x.idStation === station)!.attempts[0]!.journalSeq)!.request;
    expect(sent('77777777777_01')).to.contain('<standIn>true</standIn>');
    expect(sent('99999999999_01'))
      .to.match(/:paSendRTV2Request[ >]/)
      .and.not.contain('<standIn>');

    // The probes ended stand-in.
    const standIn = (await (await fetch(`${base}/_control/nodo/standin`)).json()) as {
      stations: unknown[];
      events: Array<{ station: string; type: string; by: string }>;
      probes: Array<{ positive: boolean }>;
    };
    expect(standIn.stations).to.deep.equal([]);
    expect(standIn.events.filter((e) => e.station === '77777777777_01').map((e) => `${e.type} ${e.by}`)).to.deep.equal(['ADDED manual', 'REMOVED algorithm']);
    expect(standIn.probes.every((p) => p.positive)).to.equal(true);

    // The asynchronous EC's receipts, from GPD.
    expect(r.stdout).to.match(
      /"results":\[\{"organizationFiscalCode":"55555555555","iuv":"01000000030016504","debtor":"BNCGNN80A41H501X","paymentDateTime":"[^"]+","status":"PAID"\}\]/,
    );
    expect(r.stdout).to.match(/<ns2:PaSendRTV2Request[\s\S]*?<receiptId>[0-9a-f]{32}<\/receiptId>\s*<noticeNumber>301000000030016504<\/noticeNumber>/);
  });

  it('stops on SIGTERM with exit 143', async () => {
    const r = await serve!.stop('SIGTERM');
    expect(r.code, serve!.stderr()).to.equal(143);
    expect(serve!.stderr()).to.contain('SIGTERM received: stopping serve');
  });
});

describe('serve: stopping and refusing', function () {
  this.timeout(90_000);

  it('stops on SIGINT (Ctrl-C) with exit 130', async () => {
    const s = spawnCli(['serve', '--port', '0']);
    await s.waitFor(/serve ready/, 'stderr');
    const r = await s.stop('SIGINT');
    expect(r.code, s.stderr()).to.equal(130);
  });

  // npm's pid: the server is its grandchild, behind `sh -c`. SIGTERM kills the shell (the server loses
  // its parent); SIGKILL kills npm alone (the shell stays, waiting on the server).
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`started with npx, stops when the pid npx gave gets ${signal}: no orphan server`, async () => {
      const s = spawnCommand('npx', ['--yes', 'station-harness', 'serve', '--port', '0']);
      const base = (await s.waitFor(/^explorer\s+(http:\/\/127\.0\.0\.1:\d+)\//m))[1]!;
      expect((await fetch(`${base}/nodo?wsdl`)).status).to.equal(200);
      s.child.kill(signal);
      await s.done;
      // the server (npm's grandchild) stops on its own time: polled until the port refuses, bounded by the test's timeout
      expect(await untilRefused(base)).to.equal(true);
    });
  }

  it('exits 2 with file:line:col on a bad registry, and with what to do on a bad port or a busy one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'serve-bad-'));
    try {
      const bad = join(dir, 'registry.yaml');
      writeFileSync(bad, 'creditorInstitutions:\n  - fiscalCode: "77777777777"\n    colour: blue\n');
      const r = await runInProcess(['serve', '--registry', bad, '--port', '0']);
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.match(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ `));
      const port = await runInProcess(['serve', '--port', 'x']);
      expect(port.code).to.equal(2);
      expect(port.stderr).to.match(/--port 'x' is not a TCP port/);
      const busy = createServer();
      await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
      try {
        const taken = await runInProcess(['serve', '--port', String((busy.address() as { port: number }).port)]);
        expect(taken.code).to.equal(2);
        expect(taken.stderr).to.match(/Failed to listen on 127\.0\.0\.1:\d+: EADDRINUSE\. Choose another --port/);
        // The standalone servers too (Express 5 calls listen's callback with the error: it was an internal error, exit 3).
        const busyPort = String((busy.address() as { port: number }).port);
        const nodo = await runInProcess(['nodo', '--registry', join(PROJECT_ROOT, 'scenarios', 'fixtures', 'registry.default.yaml'), '--port', busyPort]);
        expect(nodo.code, nodo.stderr).to.equal(2);
        expect(nodo.stderr).to.match(/Failed to listen on 127\.0\.0\.1:\d+: EADDRINUSE/);
        const station = await runInProcess([
          'station',
          '--positions',
          join(PROJECT_ROOT, 'scenarios', 'fixtures', 'positions.example.yaml'),
          '--port',
          busyPort,
        ]);
        expect(station.code, station.stderr).to.equal(2);
        expect(station.stderr).to.match(/Failed to listen on 127\.0\.0\.1:\d+: EADDRINUSE/);
      } finally {
        busy.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
