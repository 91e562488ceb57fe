/**
 * Issue 9 item 6: the SYNC-station conformance scenarios run against a USER's station
 * (`--station`), the SEND emulator staying the harness's, reached by the station at the
 * fixed address of `--send-port`. "The user's station" is a reference station served on
 * its own server and configured, like a real one, with a SEND base URL.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { expect } from 'chai';
import { RealClock } from '../../src/clock.ts';
import { PROJECT_ROOT } from '../../src/paths.ts';
import type { RunResult } from '../../src/report/model.ts';
import { Journal } from '../../src/soap/exchange.ts';
import { createReferenceStations } from '../../src/station/index.ts';
import { emptyConfig, type StationsConfig } from '../../src/station/model.ts';
import { loadPositionsFile } from '../../src/station/index.ts';

const FIXTURES = join(PROJECT_ROOT, 'scenarios', 'fixtures');
const SYNC = join(PROJECT_ROOT, 'scenarios', 'send', 'sync-station.yaml');
const SYNC_IDS = ['send-sync-price-changes', 'send-sync-price-404', 'send-sync-price-500', 'send-sync-price-slow'];

function positions(linkToSend: boolean): StationsConfig {
  const out = emptyConfig();
  for (const f of ['positions.default.yaml', 'positions.send.yaml']) {
    const r = loadPositionsFile(join(FIXTURES, f));
    if (!r.ok) throw new Error(`${f} does not load`);
    out.positions.push(...r.config.positions.map((p) => ({ ...p, send: p.send && linkToSend })));
    if (r.config.sendTimeoutMs !== undefined) out.sendTimeoutMs = r.config.sendTimeoutMs;
  }
  return out;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/**
 * Runs the CLI with --send-port on a port that was free a moment ago. Between freeing it and
 * the CLI binding it, another process of a busy machine may take it: the CLI then says so
 * (usage error, "the port is in use") and the run is repeated on another port, so the verdict
 * never depends on that race.
 */
async function runOnFreePort(
  linkToSend: boolean,
  args: (port: number, stationUrl: string) => string[],
  servers: Server[],
): Promise<{ code: number | null; stderr: string; port: number; stationUrl: string }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const st = await userStation(`http://127.0.0.1:${port}/send`, linkToSend);
    servers.push(st.server);
    const r = await cli(args(port, st.url));
    if (r.code === 2 && r.stderr.includes('the port is in use') && attempt < 5) continue;
    return { ...r, port, stationUrl: st.url };
  }
}

/** A station of "the user": its own server, its SEND base URL from configuration. */
async function userStation(sendBaseUrl: string, linkToSend: boolean): Promise<{ url: string; server: Server }> {
  const stations = createReferenceStations({
    journal: new Journal(),
    clock: new RealClock(),
    config: positions(linkToSend),
    sendBaseUrl,
    stations: [{ idStation: '77777777777_01', idBrokerPA: '77777777777', ecs: ['77777777777'] }],
  });
  const server = express().use(stations.router).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/stations/77777777777_01`, server };
}

function cli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: PROJECT_ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

const report = (dir: string) => JSON.parse(readFileSync(join(dir, 'latest', 'report.json'), 'utf8')) as RunResult;

describe('SYNC station conformance against a user station (--station, --send-port)', function () {
  this.timeout(90_000);
  let out: string;
  const servers: Server[] = [];
  before(() => {
    out = mkdtempSync(join(tmpdir(), 'sync-target-'));
  });
  after(async () => {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    rmSync(out, { recursive: true, force: true });
  });

  it('runs every SYNC scenario (not skipped) and the SEND decision table against the station; the price calls reach the running scenario through --send-port', async () => {
    const dir = join(out, 'ok');
    const r = await runOnFreePort(
      true,
      (p, url) => ['run', join(PROJECT_ROOT, 'scenarios', 'send'), '--station', `77777777777_01=${url}`, '--send-port', String(p), '--out', dir],
      servers,
    );
    const { port } = r;
    const st = { url: r.stationUrl };
    expect(r.stderr).to.contain(`SEND API for your station: http://127.0.0.1:${port}/send`);
    const rep = report(dir);
    const states = Object.fromEntries(rep.cases.map((c) => [c.id, c.state]));
    expect(
      rep.cases
        .filter((c) => c.state !== 'passed')
        .map((c) => `${c.id} ${c.state} ${'reason' in c ? c.reason : ''} ${'failures' in c ? JSON.stringify(c.failures) : ''}`),
    ).to.deep.equal([]);
    expect(r.code, r.stderr).to.equal(0);
    for (const id of [...SYNC_IDS, 'send-row4-sync-station']) expect(states[id], id).to.equal('passed');
    const byId = new Map(rep.cases.map((c) => [c.id, c]));
    // The price calls were answered by the scenario's own SEND emulator (its journal), while the Nodo called the user's URL.
    const changes = byId.get('send-sync-price-changes')!;
    expect(changes.exchanges.filter((e) => e.operation === 'retrieveNotificationPriceV23').map((e) => e.meta['totalPrice'])).to.deep.equal([200, 1382]);
    expect(changes.exchanges.some((e) => e.party === 'nodo' && e.url === st.url)).to.equal(true);
    // What the station answered while SEND failed is a finding, not a verdict.
    for (const id of ['send-sync-price-500', 'send-sync-price-slow']) {
      const f = byId.get(id)!.findings.filter((x) => x.code === 'SEND_PRICE_FAILURE_ANSWER');
      expect(f, id).to.have.length(1);
      expect(f[0]!.severity).to.equal('info');
      expect(f[0]!.message).to.match(
        /^station 77777777777_01 answered paVerifyPaymentNotice for 301000000010092967 while SEND's price API .*: OK with amount 100\.00 in \d+ ms/,
      );
    }
    expect(r.stderr).to.match(/Findings \(\d+; not failures/);
    expect(r.stderr).to.contain('SEND_PRICE_FAILURE_ANSWER');
  });

  it('fails a station that ignores SEND: amount without the fee, no NOTIFICATION_FEE, no price call', async () => {
    const dir = join(out, 'ignores');
    const r = await runOnFreePort(false, (p, url) => ['run', SYNC, '--station', `77777777777_01=${url}`, '--send-port', String(p), '--out', dir], servers);
    expect(r.code, r.stderr).to.equal(1);
    const changes = report(dir).cases.find((c) => c.id === 'send-sync-price-changes')!;
    expect(changes.state).to.equal('failed');
    const failed = changes.checks.filter((c) => !c.passed).map((c) => c.name);
    expect(
      failed.some((n) => /amount is 102/.test(n)),
      failed.join('\n'),
    ).to.equal(true);
    expect(failed.some((n) => /data\/metadata has NOTIFICATION_FEE=1382/.test(n))).to.equal(true);
    expect(failed.some((n) => /asked SEND's price .* while answering paVerifyPaymentNotice/.test(n))).to.equal(true);
  });

  it('without --send-port the scenarios that need the station to call SEND are skipped with what to do', async () => {
    const st = await userStation('http://127.0.0.1:9/send', true);
    servers.push(st.server);
    const dir = join(out, 'noport');
    const r = await cli(['run', SYNC, '--station', `77777777777_01=${st.url}`, '--out', dir]);
    expect(r.code, r.stderr).to.equal(0);
    const rep = report(dir);
    expect(rep.cases.map((c) => c.state)).to.deep.equal(['skipped', 'skipped', 'skipped', 'skipped']);
    expect(rep.cases.map((c) => c.id).sort()).to.deep.equal([...SYNC_IDS].sort());
    const c = rep.cases[0]!;
    expect(c.state === 'skipped' && c.reason).to.equal(
      "needs your station 77777777777_01 to call the harness's SEND price API: run with --send-port <port> and set your station's SEND base URL to http://127.0.0.1:<port>/send (src/send/README.md)",
    );
  });

  it('--send-port with --jobs > 1 is a usage error (exit 2)', async () => {
    const r = await cli(['run', SYNC, '--send-port', '8086', '--jobs', '2']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('Failed to use --send-port with --jobs 2');
  });
});
