import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { expect } from 'chai';
import { XMLParser } from 'fast-xml-parser';
import { RealClock } from '../../src/clock.ts';
import { PROJECT_ROOT } from '../../src/paths.ts';
import { Journal } from '../../src/soap/exchange.ts';
import { createReferenceStations } from '../../src/station/index.ts';
import { loadPositionsFile } from '../../src/station/index.ts';
import type { RunResult } from '../../src/report/model.ts';

const SUITES = join(PROJECT_ROOT, 'test', 'scenario', 'suites');

interface Spawned {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], opts: { onStderr?: (chunk: string, child: ReturnType<typeof spawn>) => void } = {}): Promise<Spawned> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: PROJECT_ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      opts.onStderr?.(stderr, child);
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('station-harness run (issue 7)', function () {
  this.timeout(60_000);
  let out: string;
  before(() => {
    out = mkdtempSync(join(tmpdir(), 'run-'));
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  describe('against a deliberately broken station addressed with --station', () => {
    let server: Server;
    let url: string;
    let run: Spawned;
    let report: RunResult;
    before(async () => {
      // A reference station with injections plays "the user's station": HTTP 500 on verify,
      // a paGetPaymentV2Response without the mandatory data/companyName.
      const positions = loadPositionsFile(join(PROJECT_ROOT, 'scenarios', 'fixtures', 'positions.default.yaml'));
      if (!positions.ok) throw new Error('positions fixture does not load');
      const stations = createReferenceStations({
        journal: new Journal(),
        clock: new RealClock(),
        config: positions.config,
        stations: [{ idStation: '77777777777_01', idBrokerPA: '77777777777', ecs: ['77777777777'] }],
      });
      stations.inject({ station: '77777777777_01', operation: 'paVerifyPaymentNotice', action: 'http500' });
      stations.inject({ station: '77777777777_01', operation: 'paGetPaymentV2', action: { mutate: 'remove', path: 'data.companyName' } });
      const app = express().use(stations.router);
      server = app.listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/stations/77777777777_01`;
      run = await cli(['run', join(SUITES, 'broken'), '--station', `77777777777_01=${url}`, '--out', join(out, 'broken')]);
      report = JSON.parse(readFileSync(join(out, 'broken', 'latest', 'report.json'), 'utf8')) as RunResult;
    });
    after(() => new Promise<void>((r) => server.close(() => r())));

    it('exits 1 and fails exactly the scenarios that reach the broken station', () => {
      expect(run.code, run.stderr).to.equal(1);
      const states = Object.fromEntries(report.cases.map((c) => [c.id, c.state]));
      expect(states).to.deep.equal({
        'broken-activate-ok': 'failed',
        'broken-needs-injection': 'skipped',
        'broken-other-station-ok': 'passed',
        'broken-verify-ok': 'failed',
      });
    });

    it('explains each failure: the PPT code, the schema issue with path and line, the skip reason', () => {
      const byId = new Map(report.cases.map((c) => [c.id, c]));
      const verify = byId.get('broken-verify-ok')!;
      expect(verify.state).to.equal('failed');
      const outcome = verify.checks.find((c) => c.name === 'outcome is OK')!;
      expect(outcome.mismatch!.actual).to.contain('PPT_STAZIONE_INT_PA_ERRORE_RESPONSE');
      expect(outcome.mismatch!.hint).to.match(/station:77777777777_01: .*HTTP 500/);
      const activate = byId.get('broken-activate-ok')!;
      const schema = activate.checks.find((c) => !c.passed && c.mismatch?.type === 'schema')!;
      expect(schema.name).to.equal('paGetPaymentV2Response (nodo → station:77777777777_01) is schema-valid');
      expect(schema.mismatch!.actual).to.equal(
        "/soapenv:Envelope/soapenv:Body/pafn:paGetPaymentV2Response/data/officeName (line 12:9): Element 'officeName': This element is not expected. Expected is ( companyName )",
      );
      expect(schema.mismatch!.hint).to.equal(
        "Make the station's paGetPaymentV2Response valid against the XSD (the issue above). A real Nodo answers the PSP PPT_STAZIONE_INT_PA_ERRORE_RESPONSE for an invalid station answer.",
      );
      // The PSP's KO is a consequence of the invalid answer: folded under it (issue 12.3).
      const outcomeKo = activate.checks.find((c) => c.name === 'outcome is OK')!;
      expect(outcomeKo.causedBy).to.equal(activate.checks.indexOf(schema));
      const skipped = byId.get('broken-needs-injection')!;
      expect(skipped.state === 'skipped' && skipped.reason).to.equal(
        'needs fault injection on station 77777777777_01, which is your station (--station); injections only work on reference stations',
      );
      expect(run.stderr).to.contain('✗ broken-verify-ok');
      expect(run.stderr).to.contain('- broken-needs-injection skipped: needs fault injection');
      // The one pass never reached the station under test, and the summary says so.
      expect(run.stderr).to.match(/1 passed \(0 exchanged messages with your station\), 2 failed, 0 errored, 1 skipped/);
    });

    it('writes a junit.xml that parses: one suite per file, <failure> with expected and actual, <skipped>', () => {
      const xml = readFileSync(join(out, 'broken', 'latest', 'junit.xml'), 'utf8');
      const parsed = new XMLParser({
        ignoreAttributes: false,
        attributeNamePrefix: '',
        isArray: (n) => ['testsuite', 'testcase', 'property'].includes(n),
      }).parse(xml) as {
        testsuites: {
          testsuite: Array<{
            name: string;
            tests: string;
            failures: string;
            skipped: string;
            testcase: Array<{ name: string; failure?: { message: string; '#text': string }; skipped?: unknown }>;
            properties: { property: Array<{ name: string; value: string }> };
          }>;
        };
      };
      const suites = parsed.testsuites.testsuite;
      expect(suites).to.have.length(4);
      const sum = (k: 'tests' | 'failures' | 'skipped') => suites.reduce((n, s) => n + Number(s[k]), 0);
      expect([sum('tests'), sum('failures'), sum('skipped')]).to.deep.equal([4, 2, 1]);
      const cases = suites.flatMap((s) => s.testcase);
      const verify = cases.find((c) => c.name.startsWith('broken-verify-ok'))!;
      expect(verify.failure!.message).to.match(/^outcome is OK: expected OK, got KO \(faultCode PPT_STAZIONE_INT_PA_ERRORE_RESPONSE/);
      expect(verify.failure!['#text']).to.contain('expected: OK');
      expect(suites.flatMap((s) => s.properties.property)).to.deep.include({ name: 'broken-verify-ok.station', value: `77777777777_01=${url}` });
      expect(cases.find((c) => c.name.startsWith('broken-needs-injection'))).to.have.property('skipped');
    });

    it('writes the evidence files and the html report', () => {
      const ev = readdirSync(join(out, 'broken', 'latest', 'evidence', 'broken-activate-ok'));
      expect(ev).to.deep.equal([
        '01-activatePaymentNoticeV2-request.xml',
        '01-activatePaymentNoticeV2-response.xml',
        '02-paGetPaymentV2-request.xml',
        '02-paGetPaymentV2-response.xml',
      ]);
      expect(readFileSync(join(out, 'broken', 'latest', 'report.html'), 'utf8')).to.contain('broken-activate-ok');
    });
  });

  it('exits 2 with file:line:col when a scenario file is invalid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bad-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'id: bad\ntitle: A bad file\nsteps:\n  - verifyPaymentNotice:\n    expect: { outcom: OK }\n');
    const r = await cli(['run', file, '--out', join(out, 'bad')]);
    rmSync(dir, { recursive: true, force: true });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain(`${file}:5:15 Failed to load the scenario: steps[0].expect.outcom unknown key 'outcom'.`);
    expect(existsSync(join(out, 'bad'))).to.equal(false);
  });

  it('exits 2 on bad flags, naming the flag', async () => {
    const r = await cli(['run', '--shard', '3/2']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain("Failed to parse --shard '3/2': expected i/n with 1 <= i <= n, e.g. --shard 2/4.");
  });

  it('a --station target that refuses connections is exit 3 with a clear message, before any scenario runs', async () => {
    const r = await cli(['run', join(SUITES, 'slow'), '--station', '77777777777_01=http://127.0.0.1:9/paForNode', '--out', join(out, 'dead')]);
    expect(r.code).to.equal(3);
    expect(r.stderr).to.contain(
      'Failed to reach station 77777777777_01 at http://127.0.0.1:9/paForNode: connection refused. Start your station (or correct --station) and run again.',
    );
    expect(existsSync(join(out, 'dead'))).to.equal(false);
  });
});
