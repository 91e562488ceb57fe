/**
 * `station-harness check --profile` (and `run --profile`): the summary a station author acts on
 * (passes that touched the station, what could not run for lack of data and what to add, answer
 * times against the Nodo's timeouts, the notices to reload) and the exit codes: 2 for a bad
 * profile (file:line:col), 3 for a station that does not listen.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInProcess } from '../support/cli.ts';
import { MINIMAL_PROFILE, serveReferenceStation, type ServedReference } from '../support/stationSuite.ts';

describe('station-harness check --profile', function () {
  this.timeout(60_000);
  let station: ServedReference;
  const out = mkdtempSync(join(tmpdir(), 'check-'));
  before(async () => {
    station = await serveReferenceStation();
  });
  after(() => station.close());

  it('runs a minimal profile: what passed against the station, what to add, answer times, notices to reload; exit 0', async () => {
    const r = await runInProcess(['check', '--profile', MINIMAL_PROFILE, '--url', station.urlOf('77777777777_01'), '--out', out, '--reporter', 'json']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.match(
      /the run pays 3 payable notice\(s\); .*station\.minimal\.yaml lists 1 \(2 scenario\(s\) will be skipped: add 2 more to notices\.payable\)/,
    );
    expect(r.stderr).to.match(/Could not run for lack of data \(\d+; add it to .*station\.minimal\.yaml\):/);
    expect(r.stderr).to.match(/- station-expired-notice: add notices\.expired: \["<notice number>"\]/);
    expect(r.stderr).to.match(/Answer times of your station .*\n\s+paGetPaymentV2\s+\d+ call\(s\)\s+p50 \d+ ms\s+p95 \d+ ms\s+max \d+ ms\s+\[7000 ms\]/);
    expect(r.stderr).to.match(
      /Notices paid by this run \(reload them in your station before the next run\):\n\s+77777777777\/301000000000100121 \(payable, station-payment-full\)/,
    );
    expect(r.stderr).to.match(/(\d+) passed \(\1 exchanged messages with your station\), 0 failed, 0 errored, \d+ skipped/);
    const report = JSON.parse(readFileSync(join(out, 'latest', 'report.json'), 'utf8')) as {
      counts: { stationPasses: number; passed: number };
      cases: Array<{ id: string; stationExchanges?: number; checks: Array<{ rule?: string; source?: string }> }>;
    };
    expect(report.counts.stationPasses).to.equal(report.counts.passed);
    const verify = report.cases.find((c) => c.id === 'station-verify-payable')!;
    expect(verify.stationExchanges).to.equal(1);
    expect(verify.checks.find((c) => c.rule === 'NOTICE-PAYABLE')?.source).to.match(/primitives\.md §5\.1/);
  });

  it('lists as paid only the notices a receipt was sent for: run again without reloading, the payment stops at verify and nothing is listed', async () => {
    const again = await runInProcess([
      'check',
      '--profile',
      MINIMAL_PROFILE,
      '--url',
      station.urlOf('77777777777_01'),
      '--grep',
      'station-payment-full',
      '--out',
      out,
      '--reporter',
      'json',
    ]);
    expect(again.code, again.stderr).to.equal(1);
    expect(again.stderr).to.match(/NOTICE-PAYABLE.*\n(.*\n)*.*it holds the notice as already paid, probably by an earlier run/);
    expect(again.stderr).to.not.contain('Notices paid by this run');
  });

  it('run --profile is the same station suite, self-tests left out', async () => {
    station.stations.reset();
    const r = await runInProcess([
      'run',
      '--profile',
      MINIMAL_PROFILE,
      '--url',
      station.urlOf('77777777777_01'),
      '--grep',
      'station-verify-payable|verify-ok-mono',
      '--out',
      out,
      '--reporter',
      'json',
    ]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.contain('1 scenario(s) left out: self-tests of the mock Nodo, not part of the station suite');
    expect(r.stderr).to.match(/1 passed \(1 exchanged messages with your station\)/);
  });

  it('exits 2 with file:line:col for a bad profile, 3 for a station that does not listen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'check-bad-'));
    const bad = join(dir, 'station.yaml');
    writeFileSync(bad, readFileSync(MINIMAL_PROFILE, 'utf8').replace('primitiveVersion: 2', 'primitiveVersion: 3'));
    const r = await runInProcess(['check', '--profile', bad]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(
      new RegExp(
        `${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ Failed to load the station profile: station\\.primitiveVersion must be one of \\[1,2\\]`,
      ),
    );
    const dead = await runInProcess(['check', '--profile', MINIMAL_PROFILE, '--url', 'http://127.0.0.1:1/paForNode']);
    expect(dead.code).to.equal(3);
    expect(dead.stderr).to.match(/Failed to reach station 77777777777_01 at http:\/\/127\.0\.0\.1:1\/paForNode: connection refused\. Start your station/);
    expect((await runInProcess(['check'])).code).to.equal(2);
    const jobs = await runInProcess(['run', '--profile', MINIMAL_PROFILE, '--jobs', '4']);
    expect(jobs.code).to.equal(2);
    expect(jobs.stderr).to.match(/runs one scenario at a time against your station/);
  });
});
