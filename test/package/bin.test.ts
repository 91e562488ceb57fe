/**
 * bin/station-harness.js starts the compiled CLI (dist/) only while it is current: in a copy of
 * the bin beside a fake dist/ and src/, the build answers while it is newer than every source, the
 * sources (through tsx) once a source is edited after the build, when the build stamp is missing,
 * and with HARNESS_FROM_SOURCES=1.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { PROJECT_ROOT } from '../../src/paths.ts';

describe('bin/station-harness.js: the compiled build when current, the sources otherwise', () => {
  let dir: string;
  const run = (env: NodeJS.ProcessEnv = {}) => {
    const r = spawnSync(process.execPath, [join(dir, 'bin', 'station-harness.js'), 'a', 'b'], { encoding: 'utf8', env: { ...process.env, ...env } });
    expect(r.status, r.stderr).to.equal(0);
    return r.stdout.trim();
  };
  const at = (file: string, seconds: number) => utimesSync(join(dir, file), seconds, seconds);

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'harness-bin-'));
    for (const d of ['bin', 'dist/cli', 'src/cli', 'src/nodo', 'node_modules']) mkdirSync(join(dir, d), { recursive: true });
    copyFileSync(join(PROJECT_ROOT, 'bin', 'station-harness.js'), join(dir, 'bin', 'station-harness.js'));
    symlinkSync(join(PROJECT_ROOT, 'node_modules', 'tsx'), join(dir, 'node_modules', 'tsx'), 'dir');
    // The bin loads libxml2-wasm itself before registering tsx (kept out of tsx's transform).
    symlinkSync(join(PROJECT_ROOT, 'node_modules', 'libxml2-wasm'), join(dir, 'node_modules', 'libxml2-wasm'), 'dir');
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    writeFileSync(join(dir, 'dist', 'cli', 'main.js'), "console.log('dist ' + process.argv.slice(2).join(' '));\n");
    // TypeScript only tsx can run: a type annotation.
    writeFileSync(join(dir, 'src', 'cli', 'main.ts'), "const from: string = 'sources';\nconsole.log(from + ' ' + process.argv.slice(2).join(' '));\n");
    writeFileSync(join(dir, 'src', 'nodo', 'other.ts'), 'export {};\n');
    writeFileSync(join(dir, 'dist', '.build-stamp'), '');
    at('src/cli/main.ts', 1_000);
    at('src/nodo/other.ts', 1_000);
    at('dist/.build-stamp', 2_000);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a build newer than every source: dist/ runs, with the arguments', () => {
    expect(run()).to.equal('dist a b');
  });

  it('a source edited after the build (in any folder): the sources run through tsx', () => {
    at('src/nodo/other.ts', 3_000);
    try {
      expect(run()).to.equal('sources a b');
    } finally {
      at('src/nodo/other.ts', 1_000);
    }
    expect(run()).to.equal('dist a b');
  });

  it('HARNESS_FROM_SOURCES=1 runs the sources whatever the build', () => {
    expect(run({ HARNESS_FROM_SOURCES: '1' })).to.equal('sources a b');
  });

  it('no build stamp (no build, or a build that failed): the sources run', () => {
    rmSync(join(dir, 'dist', '.build-stamp'));
    expect(run()).to.equal('sources a b');
  });
});
