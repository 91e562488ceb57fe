/**
 * junit.xml is accepted by the CI tools that validate it (issue 13.1): it validates against the
 * Jenkins xunit plugin's junit-10.xsd and the Apache Ant JUnit schema (copies with provenance in
 * test/fixtures/junit-schemas/), for the default suite, a run with a failure, an error and a
 * skip, and an interrupted run; and a second, independent consumer (Python's xml.etree, the way
 * CI publishers read it) gets the same verdict per scenario as report.json.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { PROJECT_ROOT } from '../../src/paths.ts';
import { createRecorder, type RunResult } from '../../src/report/index.ts';
import { junitXml } from '../../src/report/junit.ts';
import { RunEmitter } from '../../src/scenario/events.ts';
import { formatLoadIssue, loadScenarios } from '../../src/scenario/load.ts';
import { runScenarios } from '../../src/scenario/run.ts';
import { defaultSuiteRun } from '../support/defaultSuite.ts';
import { JUNIT_SCHEMAS, junitSchemaErrors } from '../support/junitSchemas.ts';

const SCHEMAS = JUNIT_SCHEMAS;
const SUITE = join(PROJECT_ROOT, 'test', 'report', 'suites', 'mixed.yaml');
/** Debian's python3 (the CI script installs it): the system interpreter, not a pyenv shim. */
const PYTHON = '/usr/bin/python3';

interface Consumed {
  root: string;
  suites: Array<{ name: string; declared: Record<string, number>; counted: Record<string, number>; properties: [string, string][]; systemOut: string }>;
  cases: Array<{
    suite: string;
    name: string;
    classname: string;
    time: number;
    outcome: 'passed' | 'failure' | 'error' | 'skipped';
    outcomeElements: number;
    type: string | null;
    message: string | null;
    text: string;
  }>;
}

const schemaErrors = junitSchemaErrors;

function expectValid(xml: string): void {
  expect(schemaErrors(xml, 'jenkins-xunit-junit-10.xsd'), 'Jenkins xunit junit-10.xsd').to.deep.equal([]);
  expect(schemaErrors(xml, 'ant-JUnit.xsd'), 'Ant JUnit.xsd').to.deep.equal([]);
}

function consume(xml: string, dir: string): Consumed {
  expect(existsSync(PYTHON), `${PYTHON} is required by this test (apt-get install python3; .ci/run installs it)`).to.equal(true);
  const file = join(dir, `junit-${createHash('sha1').update(xml).digest('hex').slice(0, 8)}.xml`);
  writeFileSync(file, xml);
  const r = spawnSync(PYTHON, [join(PROJECT_ROOT, 'test', 'report', 'junit_consumer.py'), file], { encoding: 'utf8' });
  expect(r.status, r.stderr).to.equal(0);
  return JSON.parse(r.stdout) as Consumed;
}

/** What the consumer read, per scenario id, against what report.json says. */
function verdicts(c: Consumed): Record<string, string> {
  return Object.fromEntries(c.cases.map((k) => [k.name.split(':')[0]!, k.outcome]));
}
const EXPECTED_OUTCOME = { passed: 'passed', failed: 'failure', errored: 'error', skipped: 'skipped' } as const;

async function runMixed(interruptAtCase?: string): Promise<RunResult> {
  const loaded = await loadScenarios([SUITE]);
  expect(loaded.issues.map(formatLoadIssue)).to.deep.equal([]);
  const emitter = new RunEmitter();
  const recorder = createRecorder(emitter);
  const controller = new AbortController();
  // Deterministic interruption: the signal is aborted as the named scenario starts (no timer).
  if (interruptAtCase) emitter.on('case:start', (e) => e.id === interruptAtCase && controller.abort('SIGTERM'));
  await runScenarios(
    loaded.files.flatMap((f) => f.scenarios),
    emitter,
    { jobs: 1, signal: controller.signal },
  );
  return recorder.result();
}

describe('junit.xml for CI tools (issue 13.1)', function () {
  this.timeout(180_000);
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'junit-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('the schemas are the recorded byte-identical copies (sha256 in SOURCE.md)', () => {
    const source = readFileSync(join(SCHEMAS, 'SOURCE.md'), 'utf8');
    for (const f of ['jenkins-xunit-junit-10.xsd', 'ant-JUnit.xsd']) {
      const sum = createHash('sha256')
        .update(readFileSync(join(SCHEMAS, f)))
        .digest('hex');
      expect(source).to.match(new RegExp(`\\| ${f.replace(/\./g, '\\.')} \\|.*\\| ${sum} \\|`));
    }
  });

  it('the schemas can fail: the pre-issue-13 format (attributes on <testsuites>, file/line and properties in <testcase>) is refused by both', () => {
    const old =
      '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="station-harness" tests="1" failures="1" errors="0" skipped="0" time="0.100">\n' +
      '  <testsuite name="a.yaml" tests="1" failures="1" errors="0" skipped="0" time="0.100" timestamp="2026-01-01T00:00:00">\n' +
      '    <testcase name="x: y" classname="a" time="0.100" file="a.yaml" line="3">\n      <properties><property name="tags" value="t"/></properties>\n' +
      '      <failure message="m" type="ConformanceFailure">text</failure>\n    </testcase>\n  </testsuite>\n</testsuites>\n';
    expect(schemaErrors(old, 'jenkins-xunit-junit-10.xsd').join('\n')).to.match(/attribute 'file' is not allowed/);
    expect(schemaErrors(old, 'ant-JUnit.xsd').join('\n')).to.match(/attribute 'name' is not allowed/);
  });

  it('the default suite: valid against both schemas, and read the same by the second consumer', async () => {
    const { result } = await defaultSuiteRun();
    const xml = junitXml(result);
    expectValid(xml);
    const c = consume(xml, tmp);
    expect(c.cases).to.have.length(result.cases.length);
    expect(new Set(c.cases.map((k) => k.outcome))).to.deep.equal(new Set(['passed']));
    for (const s of c.suites) expect(s.declared, s.name).to.deep.equal(s.counted);
  });

  describe('a run with a failure, an error and a skip', () => {
    let run: RunResult;
    let xml: string;
    let consumed: Consumed;
    before(async () => {
      run = await runMixed();
      xml = junitXml(run);
      consumed = consume(xml, tmp);
    });

    it('validates against both schemas', () => expectValid(xml));

    it('the second consumer reads each scenario with the verdict of report.json; counts add up', () => {
      expect(Object.fromEntries(run.cases.map((k) => [k.id, k.state]))).to.deep.equal({
        'rep-passes': 'passed',
        'rep-broken-amount': 'failed',
        'rep-errored': 'errored',
        'rep-skipped': 'skipped',
      });
      expect(verdicts(consumed)).to.deep.equal(Object.fromEntries(run.cases.map((k) => [k.id, EXPECTED_OUTCOME[k.state]])));
      for (const k of consumed.cases) expect(k.outcomeElements, k.name).to.be.at.most(1);
      expect(consumed.suites).to.have.length(1);
      expect(consumed.suites[0]!.declared).to.deep.equal(consumed.suites[0]!.counted);
      expect(consumed.suites[0]!.declared).to.deep.equal({ tests: 4, failures: 1, errors: 1, skipped: 1 });
    });

    it('an errored scenario is an <error> (type HarnessError), not a <failure>', () => {
      const errored = consumed.cases.find((k) => k.name.startsWith('rep-errored'))!;
      expect(errored).to.include({ outcome: 'error', type: 'HarnessError' });
      expect(errored.message).to.match(/^Failed to create the GPD position: .*already exists.* \(test\/report\/suites\/mixed\.yaml:\d+\)$/);
      expect(xml).to.match(/<error message="Failed to create the GPD position[^"]*" type="HarnessError">[^<]*<\/error>/);
    });

    it('a failure names its root cause with file and line in the message, and folds the knock-on checks under it (the XSD message once)', () => {
      const failed = consumed.cases.find((k) => k.name.startsWith('rep-broken-amount'))!;
      expect(failed).to.include({ outcome: 'failure', type: 'ConformanceFailure' });
      expect(failed.message).to.match(
        /^paGetPaymentV2Response \(nodo → station:77777777777_01\) is schema-valid: expected valid against the XSD, got \/soapenv:Envelope.*\/data\/paymentAmount \(line \d+:\d+\): Element 'paymentAmount'.* \(test\/report\/suites\/mixed\.yaml:18\)$/,
      );
      expect(failed.text.match(/The value '100' is not accepted/g), 'the XSD message once in the failure text').to.have.length(1);
      expect(failed.text).to.match(/↳ 5 more check\(s\) failed only because of this:\n {6}- outcome is OK: expected OK, got KO/);
      expect(failed.text).to.contain('- ${act.paymentToken} has a value');
    });

    it('keeps the detail the schemas allow at suite level: properties per scenario and a system-out block with steps and stations', () => {
      const s = consumed.suites[0]!;
      expect(s.properties).to.deep.include(['rep-broken-amount.file', 'test/report/suites/mixed.yaml:14']);
      expect(s.properties).to.deep.include(['rep-broken-amount.station', '77777777777_01']);
      expect(s.properties).to.deep.include(['rep-passes.tags', 'reports']);
      expect(s.systemOut).to.match(
        /\[passed\] rep-passes \(test\/report\/suites\/mixed\.yaml:8, [^)]+\): verify of a payable notice answers OK\n {2}1\. verifyPaymentNotice \(line 11, \d+ ms\) ✓\n {2}stations: 77777777777_01\n {2}operations: verifyPaymentNotice, paVerifyPaymentNotice/,
      );
      expect(s.systemOut).to.contain('[skipped] rep-skipped');
    });
  });

  describe('an interrupted run (SIGTERM as the third scenario starts)', () => {
    let run: RunResult;
    let xml: string;
    let consumed: Consumed;
    before(async () => {
      run = await runMixed('rep-errored');
      xml = junitXml(run);
      consumed = consume(xml, tmp);
    });

    it('validates against both schemas', () => expectValid(xml));

    it('lists the scenarios not run as skipped, with why; the interrupted one as an error', () => {
      expect(run.interrupted).to.equal(true);
      expect(run.notRun).to.deep.equal(['rep-skipped']);
      expect(verdicts(consumed)).to.deep.equal({ 'rep-passes': 'passed', 'rep-broken-amount': 'failure', 'rep-errored': 'error', 'rep-skipped': 'skipped' });
      const notRun = consumed.cases.find((k) => k.name.startsWith('rep-skipped'))!;
      expect(notRun.message).to.equal('not run: the run was interrupted (SIGTERM) before this scenario started');
      expect(consumed.cases.find((k) => k.name.startsWith('rep-errored'))!.message).to.match(/^interrupted \(SIGTERM\) before the scenario finished/);
      expect(consumed.suites[0]!.declared).to.deep.equal({ tests: 4, failures: 1, errors: 1, skipped: 1 });
      expect(xml).to.match(
        /<!-- pagopa-station-harness [^ ]+, run [^:]+: 4 tests, 1 passed, 1 failed, 1 errored, 0 skipped, 1 not run \(interrupted, SIGTERM\)/,
      );
    });
  });
});
