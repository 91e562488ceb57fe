/**
 * Findings (issue 9 "a finding 'cost not recovered' appears in the report"; issue 7 reports):
 * a Nodo semantic warning and SEND's COST_NOT_RECOVERED reach report.json, report.html,
 * junit.xml, and never fail the scenario.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { XMLParser } from 'fast-xml-parser';
import { createRecorder, writeReports, type RunResult } from '../../src/report/index.ts';
import { SCENARIOS_DIR } from '../../src/paths.ts';
import { RunEmitter } from '../../src/scenario/events.ts';
import { formatLoadIssue, loadScenarios } from '../../src/scenario/load.ts';
import { runScenarios } from '../../src/scenario/run.ts';

// The reference station answers a creditorReferenceId that is not the notice's IUV: not a
// documented Nodo refusal, so the payment goes on and the rule IUV_MATCH is a warning.
const IUV_SCENARIO = `
id: finding-iuv-mismatch
title: A creditorReferenceId that is not the notice's IUV is accepted with a warning
setup: { notice: { noticeNumber: "301000000000100121" } }
steps:
  - inject: { station: "77777777777_01", operation: paGetPaymentV2, action: { mutate: set, path: data.creditorReferenceId, value: "01000000000100999" } }
  - activatePaymentNoticeV2:
    expect: { outcome: OK }
`;

describe('findings in the reports (issues 7 and 9)', function () {
  this.timeout(60_000);
  let out: string;
  let run: RunResult;
  let dir: string;
  before(async () => {
    out = mkdtempSync(join(tmpdir(), 'findings-'));
    const file = join(out, 'iuv.yaml');
    writeFileSync(file, IUV_SCENARIO);
    const loaded = await loadScenarios([file, join(SCENARIOS_DIR, 'send', 'decision-table.yaml')]);
    expect(loaded.issues.map(formatLoadIssue)).to.deep.equal([]);
    const scenarios = loaded.files
      .flatMap((f) => f.scenarios)
      .filter((s) => ['finding-iuv-mismatch', 'send-row5-sync-in-gpd', 'send-row1-async-in-gpd'].includes(s.id));
    expect(scenarios).to.have.length(3);
    const emitter = new RunEmitter();
    const recorder = createRecorder(emitter);
    await runScenarios(scenarios, emitter, { jobs: 3 });
    run = recorder.result();
    dir = writeReports(run, { outDir: out }).latest;
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it('report.json: each case carries its findings (code, severity, message, source) and counts.findings sums them; findings never fail', () => {
    const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as RunResult;
    const byId = new Map(json.cases.map((c) => [c.id, c]));
    expect([...byId.values()].map((c) => c.state)).to.deep.equal(['passed', 'passed', 'passed']);
    const iuv = byId.get('finding-iuv-mismatch')!.findings;
    expect(iuv).to.have.length(1, 'the warning noted on the station call and on the PSP answer is one finding');
    expect(iuv[0]).to.deep.include({ code: 'IUV_MATCH', severity: 'warning', step: 1 });
    expect(iuv[0]!.message).to.equal('creditorReferenceId 01000000000100999 does not match notice number 301000000000100121 (expected IUV 01000000000100121)');
    expect(iuv[0]!.source.party).to.equal('nodo');
    const ex = byId.get('finding-iuv-mismatch')!.exchanges.find((e) => e.seq === iuv[0]!.source.exchange)!;
    expect(ex.operation).to.equal('paGetPaymentV2');
    const row5 = byId.get('send-row5-sync-in-gpd')!.findings;
    expect(row5.map((f) => [f.code, f.severity, f.source.party])).to.deep.equal([['COST_NOT_RECOVERED', 'warning', 'send']]);
    expect(row5[0]!.message).to.contain('notice 77777777777/305000000000050557');
    expect(byId.get('send-row1-async-in-gpd')!.findings).to.deep.equal([]);
    expect(json.counts.findings).to.equal(2);
  });

  it('report.html: a Findings block per scenario, a count in the summary and a "with findings" filter', () => {
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).to.match(/<div class="card fcard"><b>2<\/b><span>findings<\/span>/);
    expect(html).to.contain('<button id="fnd"');
    expect(html).to.contain('data-findings="0"');
    const row5 = html.slice(html.indexOf('data-text="send-row5-sync-in-gpd'));
    expect(row5.slice(0, row5.indexOf('</details>'))).to.match(/<div class="findings"><b>Findings<\/b>.*<span class="fcode">COST_NOT_RECOVERED<\/span>/);
  });

  it('junit.xml: findings are suite properties and <system-out> lines, not failures', () => {
    const xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ['testsuite', 'testcase', 'property'].includes(n) }).parse(
      xml,
    ) as {
      testsuites: {
        testsuite: Array<{
          failures: string;
          'system-out': string;
          testcase: Array<{ name: string; failure?: unknown }>;
          properties: { property: Array<{ name: string; value: string }> };
        }>;
      };
    };
    const suites = parsed.testsuites.testsuite;
    expect(suites.map((s) => s.failures)).to.deep.equal(['0', '0']);
    const iuvSuite = suites.find((s) => s.testcase.some((c) => c.name.startsWith('finding-iuv-mismatch')))!;
    expect(iuvSuite.testcase[0]!.failure).to.equal(undefined);
    expect(iuvSuite.properties.property.filter((p) => p.name === 'finding-iuv-mismatch.finding').map((p) => p.value)).to.deep.equal([
      'warning IUV_MATCH: creditorReferenceId 01000000000100999 does not match notice number 301000000000100121 (expected IUV 01000000000100121)',
    ]);
    expect(iuvSuite['system-out']).to.match(
      /\[passed\] finding-iuv-mismatch [^\n]*\n(?: {2}.*\n)* {2}findings \(1, not failures\):\n {2}- \[warning\] IUV_MATCH \(nodo #\d+\): creditorReferenceId/,
    );
    const send = suites.find((s) => s.testcase.some((c) => c.name.startsWith('send-row1-async-in-gpd')))!;
    const row1 = send['system-out'].split('\n\n').find((b) => b.includes('send-row1-async-in-gpd'))!;
    expect(row1).to.not.contain('findings');
  });
});
