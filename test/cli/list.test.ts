import { spawnSync } from 'node:child_process';
import { expect } from 'chai';
import { PROJECT_ROOT } from '../../src/paths.ts';

describe('station-harness list (issue 7)', function () {
  this.timeout(60_000);
  it('prints the catalogue as JSON, filtered by tag or test-case id', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'list', '--json', '--tag', 'EC-PSP-01'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    const rows = JSON.parse(r.stdout) as Array<{ id: string; title: string; tags: string[]; testCase: string | null; file: string; line: number }>;
    expect(rows.length).to.be.greaterThan(0);
    for (const row of rows) expect(row.tags.includes('EC-PSP-01') || row.testCase === 'EC-PSP-01', row.id).to.equal(true);
    expect(rows.map((x) => x.id)).to.include('verify-ok-mono');
    expect(rows.find((x) => x.id === 'verify-ok-mono')).to.deep.include({ testCase: 'EC-PSP-01', file: 'scenarios/verify/verify-ok.yaml', line: 1 });
  });
});
