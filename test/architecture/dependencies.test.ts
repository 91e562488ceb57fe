/**
 * The direction of dependencies (issue 17 item 1, .dependency-cruiser.cjs, run by `npm run lint`):
 * src/ keeps it, and the check fails, naming the rule, on a tree that breaks it the ways the issue
 * found: an import against the layers or sideways, a part's internals reached around its door, the
 * reports running the scenario engine, a cycle of files.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { PROJECT_ROOT } from '../../src/paths.ts';

const config = createRequire(import.meta.url)(join(PROJECT_ROOT, '.dependency-cruiser.cjs'));

async function violations(baseDir: string): Promise<string[]> {
  const r = await cruise(['src'], { ruleSet: { forbidden: config.forbidden }, ...config.options, baseDir, validate: true });
  const out = r.output as ICruiseResult;
  return out.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
}

describe('architecture: dependencies point one way (dependency-cruiser)', function () {
  this.timeout(120_000);

  it('src/ has no violation', async () => {
    expect(await violations(PROJECT_ROOT)).to.deep.equal([]);
  });

  describe('a tree that breaks the rules', () => {
    let dir = '';
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'deps-'));
      const files: Record<string, string> = {
        'src/xml/index.ts': "export { x } from './read.ts';",
        'src/xml/read.ts': "import { y } from '../soap/index.ts';\nexport const x = y;",
        'src/soap/index.ts': 'export const y = 1;',
        'src/gpd/index.ts': "import { s } from '../send/index.ts';\nexport const g = s;",
        'src/send/index.ts': 'export const s = 1;',
        'src/nodo/index.ts': "export { n } from './registry.ts';",
        'src/nodo/registry.ts': "import { p } from '../station/index.ts';\nexport const n = p;",
        'src/station/index.ts': "import { x } from '../xml/read.ts';\nexport const p = x;",
        'src/scenario/index.ts': "export { run } from './run.ts';\nexport type { R } from './run.ts';",
        'src/scenario/run.ts': 'export const run = () => 1;\nexport type R = number;',
        'src/report/index.ts':
          "import { run } from '../scenario/index.ts';\nimport type { R } from '../scenario/index.ts';\nimport { a } from './a.ts';\nexport const r: R = run() + a;",
        'src/report/a.ts': "import { b } from './b.ts';\nexport const a = b;",
        'src/report/b.ts': "import { a } from './a.ts';\nexport const b = () => a;",
      };
      for (const [f, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, f)), { recursive: true });
        writeFileSync(join(dir, f), `${text}\n`);
      }
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('fails on each break, naming the rule', async () => {
      expect(await violations(dir)).to.deep.equal([
        'door-xml: src/station/index.ts -> src/xml/read.ts',
        'no-circular: src/report/a.ts -> src/report/b.ts',
        'report-reads-results-not-the-engine: src/report/index.ts -> src/scenario/index.ts',
        'sideways-from-gpd: src/gpd/index.ts -> src/send/index.ts',
        'sideways-from-nodo: src/nodo/registry.ts -> src/station/index.ts',
        'upward-from-xml: src/xml/read.ts -> src/soap/index.ts',
      ]);
    });
  });
});
