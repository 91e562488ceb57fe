import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadScenarioFile, loadScenarios } from '../../src/scenario/load.ts';
import { scenarioJsonSchema } from '../../src/scenario/scenarioSchema.ts';
import { stepKinds } from '../../src/scenario/step.ts';
import { SCENARIOS_DIR } from '../../src/paths.ts';

describe('scenario loader (issue 7)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'scn-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const issuesOf = async (name: string, text: string) => (await loadScenarioFile(write(name, text))).issues;

  it('loads a valid scenario with defaults filled from the shared fixtures', async () => {
    const r = await loadScenarioFile(
      write('ok.yaml', 'id: ok-1\ntitle: A valid scenario\nsteps:\n  - verifyPaymentNotice: { noticeNumber: "301000000000100121" }\n'),
    );
    expect(r.issues).to.deep.equal([]);
    const s = r.file.scenarios[0]!;
    expect(s.setup.registry.stations.length).to.be.greaterThan(3);
    expect(s.setup.positions.positions.some((p) => p.noticeNumber === '301000000000100121')).to.equal(true);
    expect(s.setup.psp).to.deep.equal({ idPSP: '88888888888', idBrokerPSP: '88888888888', idChannel: '88888888888_01', password: 'PLACEHOLDER' });
    expect(s.steps[0]).to.include({ kind: 'verifyPaymentNotice' });
    expect(s.steps[0]!.at.line).to.equal(4);
  });

  it('reports an unknown key with file:line:col', async () => {
    const issues = await issuesOf(
      'unknown-key.yaml',
      'id: bad-1\ntitle: Unknown key\nsteps:\n  - verifyPaymentNotice: { noticeNumber: "301000000000100121" }\n    expct: { outcome: OK }\n',
    );
    expect(issues).to.have.length(1);
    expect(issues[0]).to.include({ code: 'SCENARIO_SCHEMA', line: 5, col: 5 });
    expect(issues[0]!.source).to.match(/unknown-key\.yaml$/);
    expect(issues[0]!.message).to.equal(
      "Failed to load the scenario: steps[0].expct unknown key 'expct'. Check the spelling against scenarios/README.md (step kinds, setup keys, expect keys).",
    );
  });

  it('reports a wrong enum value at its line', async () => {
    const issues = await issuesOf('enum.yaml', 'id: bad-2\ntitle: Bad outcome\nsteps:\n  - verifyPaymentNotice:\n    expect:\n      outcome: MAYBE\n');
    expect(issues.map((i) => [i.line, i.col])).to.deep.equal([[6, 16]]);
    expect(issues[0]!.message).to.contain('steps[0].expect.outcome must be one of OK, KO');
  });

  it("refuses a setup.notice no step uses (own or a suite's), and accepts one a step takes, names or reads", async () => {
    const own = await issuesOf(
      'unused-notice.yaml',
      'id: unused-1\ntitle: Declares one notice, pays another\nsetup:\n  notice: { noticeNumber: "301000000001100170" }\nsteps:\n  - activatePaymentNoticeV2: { noticeNumber: "301000000000100121" }\n  - sendPaymentOutcomeV2:\n',
    );
    expect(own.map((i) => [i.code, i.line, i.col])).to.deep.equal([['SCENARIO_NOTICE_UNUSED', 4, 11]]);
    expect(own[0]!.message).to.match(
      /^Failed to load scenario 'unused-1': setup\.notice \(301000000001100170\) is never used: .*\. Remove setup\.notice, or let the steps about that notice name no noticeNumber of their own\.$/,
    );
    const suite = await issuesOf(
      'unused-suite-notice.yaml',
      [
        'setup: { notice: { noticeNumber: "301000000001100170" } }',
        'scenarios:',
        '  - { id: unused-2, title: Names its own, steps: [{ verifyPaymentNotice: { noticeNumber: "301000000000100121" } }] }',
        '  - { id: unused-3, title: Has its own, setup: { notice: { noticeNumber: "301000000000100121" } }, steps: [{ verifyPaymentNotice: }] }',
      ].join('\n'),
    );
    expect(suite.map((i) => [i.code, i.line, i.col])).to.deep.equal([['SCENARIO_NOTICE_UNUSED', 1, 18]]);
    expect(suite[0]!.message).to.contain(
      "Failed to load the suite's scenarios: the suite's setup.notice (301000000001100170) is never used: none of the 1 scenario(s)",
    );
    // Used: a step that names no notice takes it; a step names it; a template reads it.
    for (const step of [
      'verifyPaymentNotice:',
      'activatePaymentNoticeV2: { noticeNumber: "301000000001100170" }',
      'expectStationAnswer: { operation: paGetPaymentV2 }',
      'gpdPosition: { noticeNumber: "${notice.noticeNumber}", amount: 100 }',
    ]) {
      expect(
        await issuesOf('used-notice.yaml', `id: used-1\ntitle: Uses it\nsetup:\n  notice: { noticeNumber: "301000000001100170" }\nsteps:\n  - ${step}\n`),
        step,
      ).to.deep.equal([]);
    }
  });

  it('reports YAML syntax errors with line and column', async () => {
    const issues = await issuesOf('syntax.yaml', 'id: bad-3\ntitle: [unclosed\nsteps: []\n');
    expect(issues[0]!.code).to.equal('SCENARIO_YAML');
    expect(issues[0]!.line).to.be.greaterThan(1);
  });

  it('reports a step with two kinds, and a capture no earlier step defines', async () => {
    const issues = await issuesOf(
      'semantic.yaml',
      'id: bad-4\ntitle: Semantic problems\nsteps:\n  - verifyPaymentNotice:\n    advance: 1h\n  - sendPaymentOutcomeV2: { paymentTokens: ["${act.paymentToken}"] }\n',
    );
    expect(issues.map((i) => [i.code, i.line])).to.deep.equal([
      ['SCENARIO_STEP', 4],
      ['SCENARIO_CAPTURE', 6],
    ]);
    expect(issues[1]!.message).to.equal(
      "Failed to load the scenario: ${act.paymentToken} refers to 'act', which no earlier step captures. Add name: act to an earlier step.",
    );
  });

  it('reports an unknown fixture reference and an unknown station', async () => {
    const issues = await issuesOf(
      'refs.yaml',
      'id: bad-5\ntitle: Bad references\nsetup:\n  positions: fixtures/nope.yaml\nsteps:\n  - expectStation: { station: NOPE_01, received: nothing }\n',
    );
    expect(issues[0]).to.include({ code: 'SCENARIO_FIXTURE', line: 4, col: 14 });
    expect(issues[0]!.message).to.contain("positions fixture 'fixtures/nope.yaml' not found");
  });

  it('locates registryPatch problems in the scenario file', async () => {
    const issues = await issuesOf(
      'patch.yaml',
      'id: bad-6\ntitle: Bad patch\nsetup:\n  registryPatch:\n    associations:\n      - { fiscalCode: "77777777777", stationCode: "77777777777_01", auxDigit: 3, segregationCode: "02" }\nsteps:\n  - verifyPaymentNotice:\n',
    );
    expect(issues).to.have.length.greaterThan(0);
    expect(issues[0]!.line).to.equal(5);
    expect(issues[0]!.message).to.match(/^Failed to apply registryPatch: EC 77777777777 has segregation code 02 on two associations/);
  });

  it('rejects duplicate ids across files', async () => {
    const sub = join(dir, 'dup');
    mkdirSync(sub);
    writeFileSync(join(sub, 'a.yaml'), 'id: same\ntitle: First copy\nsteps:\n  - advance: 1s\n');
    writeFileSync(join(sub, 'b.yaml'), 'id: same\ntitle: Second copy\nsteps:\n  - advance: 1s\n');
    const r = await loadScenarios([sub]);
    expect(r.issues.map((i) => i.code)).to.deep.equal(['SCENARIO_DUPLICATE_ID']);
    expect(r.issues[0]!.message).to.match(/id 'same' is also used at .*a\.yaml:1/);
  });

  it('every step kind is in the schema and every scenario of the suite loads', async () => {
    const kinds = await stepKinds();
    const schema = (await scenarioJsonSchema()) as { $defs: { step: { properties: Record<string, unknown> } } };
    for (const k of kinds.keys()) expect(schema.$defs.step.properties, k).to.have.property(k);
    const r = await loadScenarios([SCENARIOS_DIR]);
    expect(r.issues.filter((i) => i.severity === 'error')).to.deep.equal([]);
    expect(r.files.flatMap((f) => f.scenarios).length).to.be.greaterThan(10);
  });
});
