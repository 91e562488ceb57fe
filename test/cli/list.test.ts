import { spawnSync } from 'node:child_process';
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, SCENARIOS_DIR } from '../../src/paths.ts';
import { loadScenarios } from '../../src/scenario/load.ts';
import { catalogueMarkdown } from '../../src/cli/commands/list.ts';

describe('station-harness list (issue 7)', function () {
  this.timeout(60_000);
  it('prints the catalogue as JSON, filtered by tag or test-case id', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'list', '--json', '--tag', 'EC-PSP-01'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).to.equal(0);
    const rows = JSON.parse(r.stdout) as Array<{ id: string; title: string; tags: string[]; testCase: string | null; file: string; line: number }>;
    expect(rows.length).to.be.greaterThan(0);
    for (const row of rows) expect(row.tags.includes('EC-PSP-01') || row.testCase === 'EC-PSP-01', row.id).to.equal(true);
    expect(rows.map((x) => x.id)).to.include('verify-ok-mono');
    expect(rows.find((x) => x.id === 'verify-ok-mono')).to.deep.include({ testCase: 'EC-PSP-01', file: 'scenarios/verify/verify-ok.yaml', line: 1 });
  });
});

describe('scenarios/README.md catalogue', () => {
  it('is the output of `list --markdown` (regenerate it with station-harness list --markdown)', async () => {
    const readme = readFileSync(join(SCENARIOS_DIR, 'README.md'), 'utf8');
    const loaded = await loadScenarios([SCENARIOS_DIR]);
    const table = catalogueMarkdown(loaded.files.flatMap((f) => f.scenarios));
    expect(readme.endsWith(table), 'the catalogue table at the end of scenarios/README.md is stale').to.equal(true);
  });
});
