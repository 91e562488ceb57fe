/**
 * The programmatic API as a package (issue 17 item 7): `npm pack` makes the tarball a user would
 * install; unpacked into a scratch project's node_modules (its dependencies linked, devDependencies
 * not), `import { runScenarios } from 'pagopa-station-harness'` resolves through package.json
 * `exports` to the compiled build, runs the user's own scenario file (one case passes, one fails)
 * and the package's own scenarios; the declarations type-check a user's TypeScript and reject a
 * wrong call.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { PROJECT_ROOT } from '../../src/paths.ts';

/** Whether dist/ exists and was built after the last change to src/ (what bin/station-harness.js checks). */
function distIsCurrent(): boolean {
  let built: number;
  try {
    built = statSync(join(PROJECT_ROOT, 'dist', '.build-stamp')).mtimeMs;
  } catch {
    return false;
  }
  return readdirSync(join(PROJECT_ROOT, 'src'), { recursive: true, withFileTypes: true }).every(
    (e) => !e.isFile() || statSync(join(e.parentPath, e.name)).mtimeMs <= built,
  );
}

const USER_SCENARIOS = `
tags: [scratch]
setup:
  notice: { noticeNumber: "301000000000100121" }
scenarios:
  - id: scratch-verify-ok
    title: the default notice is verified OK
    steps:
      - verifyPaymentNotice:
        expect: { outcome: OK }
  - id: scratch-verify-wrong-expectation
    title: a scenario whose expectation is wrong fails
    steps:
      - verifyPaymentNotice:
        expect: { outcome: KO }
`;

const USER_SCRIPT = `
import { createRecorder, loadScenarios, RunEmitter, runScenarios } from 'pagopa-station-harness';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = dirname(fileURLToPath(import.meta.resolve('pagopa-station-harness/package.json')));
const loaded = await loadScenarios([join(process.cwd(), 'mine.yaml'), join(pkg, 'scenarios', 'activate', 'act-ok.yaml')]);
if (loaded.issues.length) throw new Error(JSON.stringify(loaded.issues));
const emitter = new RunEmitter();
const recorder = createRecorder(emitter);
const summary = await runScenarios(loaded.files.flatMap((f) => f.scenarios), emitter, { jobs: 2 });
const result = recorder.result();
console.log(JSON.stringify({ entry: import.meta.resolve('pagopa-station-harness'), counts: summary.counts, tool: result.tool, cases: result.cases.map((c) => [c.id, c.state]) }));
`;

const USER_TS_OK = `
import { runScenarios, RunEmitter, type RunSummary, type Scenario } from 'pagopa-station-harness';
export async function run(scenarios: Scenario[]): Promise<number> {
  const summary: RunSummary = await runScenarios(scenarios, new RunEmitter(), { jobs: 1 });
  return summary.counts.failed;
}
`;
const USER_TS_BAD = `
import { runScenarios } from 'pagopa-station-harness';
export const wrong = runScenarios('scenarios/', 3);
`;

describe('the package: import { runScenarios } from pagopa-station-harness in a scratch project', function () {
  this.timeout(600_000);
  let tmp: string;
  let scratch: string;
  let packed: string[];

  before(() => {
    // CI builds once before the tests (.ci/run); locally the build is made when the sources changed since.
    if (!distIsCurrent()) execFileSync(process.execPath, [join(PROJECT_ROOT, 'scripts', 'build.js')], { cwd: PROJECT_ROOT, stdio: 'pipe' });
    tmp = mkdtempSync(join(tmpdir(), 'harness-package-'));
    const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const info = (JSON.parse(out) as Array<{ filename: string; files: Array<{ path: string }> }>)[0]!;
    packed = info.files.map((f) => f.path);
    scratch = join(tmp, 'scratch');
    const installed = join(scratch, 'node_modules', 'pagopa-station-harness');
    mkdirSync(installed, { recursive: true });
    execFileSync('tar', ['-xzf', join(tmp, info.filename), '-C', installed, '--strip-components=1']);
    // What `npm install` would add: the package's dependencies (only those: a runtime import of a devDependency fails here).
    const deps = Object.keys((JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies);
    for (const d of deps) {
      mkdirSync(join(scratch, 'node_modules', d, '..'), { recursive: true });
      symlinkSync(join(PROJECT_ROOT, 'node_modules', d), join(scratch, 'node_modules', d), 'dir');
    }
    writeFileSync(
      join(scratch, 'package.json'),
      JSON.stringify({ name: 'scratch', private: true, type: 'module', dependencies: { 'pagopa-station-harness': `file:${info.filename}` } }),
    );
    writeFileSync(join(scratch, 'mine.yaml'), USER_SCENARIOS);
    writeFileSync(join(scratch, 'run.mjs'), USER_SCRIPT);
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('the tarball holds the build, its declarations, the schemas, the scenarios and the CLI, not the tests', () => {
    for (const f of [
      'dist/index.js',
      'dist/index.d.ts',
      'dist/cli/main.js',
      'dist/.build-stamp',
      'dist/scenario/schema.json',
      'bin/station-harness.js',
      'xsd/paForNode.xsd',
      'wsdl/paForNode.wsdl',
      'scenarios/fixtures/positions.default.yaml',
      'package.json',
      'README.md',
    ]) {
      expect(packed, f).to.include(f);
    }
    expect(packed.filter((f) => /^(test|bench|reports)\//.test(f))).to.deep.equal([]);
  });

  it("runs the user's scenarios and the package's own through the compiled build: the wrong expectation fails, the rest pass", () => {
    const r = spawnSync(process.execPath, ['run.mjs'], { cwd: scratch, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status, r.stderr).to.equal(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
      entry: string;
      counts: Record<string, number>;
      tool: { name: string; version: string };
      cases: Array<[string, string]>;
    };
    expect(out.entry).to.match(/\/node_modules\/pagopa-station-harness\/dist\/index\.js$/);
    expect(out.tool.name).to.equal('pagopa-station-harness');
    expect(out.tool.version).to.equal((JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    const states = new Map(out.cases);
    expect(states.get('scratch-verify-ok')).to.equal('passed');
    expect(states.get('scratch-verify-wrong-expectation')).to.equal('failed');
    const own = out.cases.filter(([id]) => !id.startsWith('scratch-'));
    expect(own.length).to.be.greaterThan(3);
    expect(own.filter(([, s]) => s !== 'passed')).to.deep.equal([]);
    expect(out.counts.failed).to.equal(1);
  });

  it("its declarations type-check a user's TypeScript and reject a wrong call", () => {
    writeFileSync(join(scratch, 'ok.ts'), USER_TS_OK);
    writeFileSync(join(scratch, 'bad.ts'), USER_TS_BAD);
    writeFileSync(
      join(scratch, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: [] },
        files: ['ok.ts', 'bad.ts'],
      }),
    );
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', scratch], { cwd: scratch, encoding: 'utf8' });
    const errors = r.stdout.split('\n').filter((l) => /error TS/.test(l));
    expect(
      errors.filter((l) => !l.startsWith('bad.ts')),
      r.stdout,
    ).to.deep.equal([]);
    expect(errors.length, r.stdout).to.be.greaterThan(0);
    expect(errors[0]).to.match(/^bad\.ts\(3,\d+\): error TS2345: Argument of type 'string' is not assignable to parameter of type 'Scenario\[\]'/);
  });
});
