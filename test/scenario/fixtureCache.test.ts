/** Fixture files are read once per process, and clearFixtureCache() makes the next load read them again. */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { SCENARIOS_DIR } from '../../src/paths.ts';
import { clearFixtureCache } from '../../src/scenario/fixtures.ts';
import { loadScenarioFile } from '../../src/scenario/load.ts';

describe('scenario: the fixture cache', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'fixture-cache-'));
    copyFileSync(join(SCENARIOS_DIR, 'fixtures', 'registry.default.yaml'), join(dir, 'registry.yaml'));
    writeFileSync(
      join(dir, 'one.yaml'),
      'setup:\n  registry: registry.yaml\nscenarios:\n  - id: cache-one\n    title: one verify\n    steps:\n      - verifyPaymentNotice: { noticeNumber: "301000000000100121" }\n',
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('an edited fixture is seen only after clearFixtureCache()', async () => {
    const errors = async () => (await loadScenarioFile(join(dir, 'one.yaml'))).issues.filter((i) => i.severity !== 'warning').map((i) => i.code);
    expect(await errors()).to.deep.equal([]);
    writeFileSync(join(dir, 'registry.yaml'), 'stations: [\n');
    expect(await errors(), 'read once per process').to.deep.equal([]);
    clearFixtureCache();
    expect(await errors()).to.include('REG_YAML');
  });
});
