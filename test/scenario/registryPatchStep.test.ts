/**
 * The `registryPatch:` step: checked at load time against the registry as it is at that
 * step (setup plus earlier patch steps), located at the offending item; stations it adds
 * are known to later steps; at run time it changes the Nodo's registry and the reference
 * stations follow.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadScenarioFile } from '../../src/scenario/load.ts';
import { RunEmitter, type CaseEnd } from '../../src/scenario/events.ts';
import { runScenarios } from '../../src/scenario/run.ts';

describe('registryPatch step', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'scn-patch-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const load = async (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return loadScenarioFile(p);
  };

  it('reports a rule the patch breaks at the patch item, counting earlier patch steps', async () => {
    const { issues } = await load(
      'bad.yaml',
      [
        'id: patch-bad',
        'title: Second patch step reuses a segregation code the first one gave',
        'steps:',
        '  - registryPatch:',
        '      associations:',
        '        - { fiscalCode: "77777777777", stationCode: "22222222222_01", auxDigit: 3, segregationCode: "11" }',
        '  - registryPatch:',
        '      associations:',
        '        - { fiscalCode: "77777777777", stationCode: "11111111111_01", auxDigit: 3, segregationCode: "11" }',
        '',
      ].join('\n'),
    );
    expect(issues).to.have.length(1);
    expect(issues[0]).to.include({ code: 'REG_DUPLICATE_SEGREGATIONCODE', line: 9 });
    expect(issues[0]!.message).to.match(/^Failed to apply the registryPatch step: EC 77777777777 has segregation code 11 on two associations/);
    expect(issues[0]!.source).to.match(/bad\.yaml$/);
  });

  it('rejects an unknown key of the step with file:line:col', async () => {
    const { issues } = await load(
      'key.yaml',
      'id: patch-key\ntitle: Unknown section\nsteps:\n  - registryPatch:\n      station: [{ stationCode: "77777777777_01" }]\n',
    );
    expect(issues[0]).to.include({ code: 'SCENARIO_SCHEMA', line: 5, col: 7 });
  });

  it('makes a station added by a patch step known to later steps', async () => {
    const r = await load(
      'added.yaml',
      'id: patch-added\ntitle: New station\nsteps:\n  - registryPatch:\n      stations: [{ stationCode: "77777777777_09", brokerCode: "77777777777", primitiveVersion: 2, endpoint: reference }]\n  - expectStation: { station: "77777777777_09", received: nothing }\n',
    );
    expect(r.issues).to.deep.equal([]);
    const { issues } = await load(
      'unknown.yaml',
      'id: patch-unknown\ntitle: Not added\nsteps:\n  - expectStation: { station: "77777777777_09", received: nothing }\n',
    );
    expect(issues.map((i) => i.code)).to.deep.equal(['SCENARIO_STATION']);
  });

  it('changes the Nodo registry during the run and the reference stations follow', async () => {
    // The EC moves to a new reference station; the next activation is served by it.
    const r = await load(
      'run.yaml',
      [
        'id: patch-run',
        'title: EC moved, then paid on the new station',
        'steps:',
        '  - registryPatch:',
        '      stations: [{ stationCode: "77777777777_09", brokerCode: "77777777777", primitiveVersion: 1, endpoint: reference }]',
        '      associations:',
        '        - { fiscalCode: "77777777777", stationCode: "77777777777_01", auxDigit: 3, remove: true }',
        '        - { fiscalCode: "77777777777", stationCode: "77777777777_09", auxDigit: 3, segregationCode: "01" }',
        '  - activatePaymentNoticeV2: { noticeNumber: "301000000000100121" }',
        '    expect: { outcome: OK, stationCalls: { "77777777777_09": 1 } }',
        '  - expectStation: { station: "77777777777_09", received: paGetPayment, ec: "77777777777", count: 1, fields: { idStation: "77777777777_09" } }',
        '',
      ].join('\n'),
    );
    expect(r.issues).to.deep.equal([]);
    const emitter = new RunEmitter();
    const ends: CaseEnd[] = [];
    emitter.on('case:end', (e) => ends.push(e));
    await runScenarios(r.file.scenarios, emitter, { onBug: (m) => expect.fail(m) });
    expect(ends.map((e) => [e.id, e.state, e.reason])).to.deep.equal([['patch-run', 'passed', undefined]]);
  });
});
