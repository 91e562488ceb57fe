import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { glob } from 'tinyglobby';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { PROJECT_ROOT } from '../../src/paths.ts';
import { cli } from '../support/cli.ts';
import { runInProcess } from '../support/cli.ts';

describe('cli: station-harness entry point', function () {
  this.timeout(30_000);

  it('--help lists the commands and the exit codes, exit 0', async () => {
    const r = await cli(['--help']);
    expect(r.code).to.equal(0);
    expect(r.stdout).to.match(/^Usage: station-harness <command> \[options\]$/m);
    expect(r.stdout).to.match(/^ {2}validate +Validate SOAP envelopes or bare pagoPA messages against the official XSDs$/m);
    expect(r.stdout).to.include('Exit codes: 0 ok, 1 conformance failures or invalid messages, 2 usage/config/IO error');
  });

  it('<command> --help prints the command usage', async () => {
    const r = await cli(['validate', '--help']);
    expect(r.code).to.equal(0);
    expect(r.stdout.split('\n')[0]).to.equal('Usage: station-harness validate <file...|-> [--json]');
  });

  it('--version prints the package version', async () => {
    const r = await cli(['--version']);
    const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(r.code).to.equal(0);
    expect(r.stdout).to.equal(`${version}\n`);
  });

  it('an unknown command exits 2 with a "Failed to" message', async () => {
    const r = await cli(['frobnicate']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/^Failed to run 'frobnicate': unknown command\. Commands: .*validate.*\. See station-harness --help\.\n$/);
    expect(r.stderr).to.not.contain('Did you mean');
    expect(r.stdout).to.equal('');
  });

  it('no command prints the help and exits 2', async () => {
    const r = await cli([]);
    expect(r.code).to.equal(2);
    expect(r.stdout).to.match(/^station-harness: /);
  });
});

describe('cli: polish (issue 13.5)', function () {
  this.timeout(60_000);
  let out: string;
  before(() => {
    out = mkdtempSync(join(tmpdir(), 'polish-'));
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it('`list | head -1` ends quietly: exit 0, no EPIPE trace', () => {
    const r = spawnSync('bash', ['-c', `set -o pipefail; ${process.execPath} --import tsx src/cli/main.ts list | head -1`], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout.split('\n').filter(Boolean)).to.have.length(1);
    expect(r.stderr).to.not.match(/EPIPE|Error|at /);
  });

  it('"did you mean" for a mistyped command and a mistyped flag', async () => {
    expect((await runInProcess(['lsit'])).stderr).to.match(/^Failed to run 'lsit': unknown command\. Did you mean 'list'\? Commands: /);
    expect((await runInProcess(['--hepl'])).stderr).to.match(/^Failed to run '--hepl': unknown command\. Did you mean --help\? Commands: /);
    const flag = await runInProcess(['run', '--jbos', '2']);
    expect(flag.code).to.equal(2);
    expect(flag.stderr).to.equal("Failed to parse the options of 'run': unknown option --jbos. Did you mean --jobs? See station-harness run --help.\n");
    expect((await runInProcess(['run', '--zzzz'])).stderr).to.equal(
      "Failed to parse the options of 'run': unknown option --zzzz. See station-harness run --help.\n",
    );
  });

  it('mutually exclusive flags are refused: list --json --markdown', async () => {
    const r = await runInProcess(['list', '--json', '--markdown']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.equal(
      "Failed to parse the options of 'list': --json and --markdown cannot be used together. Pick one. See station-harness list --help.\n",
    );
  });

  it('a bad value names what the user set: HARNESS_JOBS, HARNESS_KEEP, HARNESS_REPORTER — or the flag', async () => {
    const withEnv = async (name: string, value: string, args: string[]) => {
      const old = process.env[name];
      process.env[name] = value;
      try {
        return await runInProcess(args);
      } finally {
        if (old === undefined) delete process.env[name];
        else process.env[name] = old;
      }
    };
    expect((await withEnv('HARNESS_JOBS', 'x', ['run'])).stderr).to.equal("Failed to parse HARNESS_JOBS 'x': expected an integer from 1 to 64.\n");
    expect((await withEnv('HARNESS_KEEP', '0', ['run'])).stderr).to.equal(
      "Failed to parse HARNESS_KEEP '0': expected how many run folders to keep (an integer from 1), or 'all'.\n",
    );
    expect((await withEnv('HARNESS_REPORTER', 'pdf', ['run'])).stderr).to.contain("Failed to parse HARNESS_REPORTER: unknown reporter 'pdf'.");
    expect((await withEnv('HARNESS_JOBS', 'x', ['run', '--jobs', '2x'])).stderr).to.equal("Failed to parse --jobs '2x': expected an integer from 1 to 64.\n");
  });

  it('a missing file is named without a fake :0:0 position', async () => {
    const r = await runInProcess(['run', join(out, 'missing.yaml')]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain(`${join(out, 'missing.yaml')} Failed to find scenarios`);
    expect(r.stderr).to.not.contain(':0:0');
  });

  it('"Open .../report.html" only when report.html was written', async () => {
    const suite = join(PROJECT_ROOT, 'test', 'scenario', 'suites', 'slow');
    const junitOnly = await cli(['run', suite, '--grep', '^slow-1$', '--reporter', 'junit', '--out', join(out, 'j')]);
    expect(junitOnly.code, junitOnly.stderr).to.equal(0);
    expect(junitOnly.stderr).to.match(/^Reports: .*\/j\/\S+ \(also .*\/j\/latest\)$/m);
    expect(junitOnly.stderr).to.not.contain('report.html');
    const all = await cli(['run', suite, '--grep', '^slow-1$', '--out', join(out, 'a')]);
    expect(all.stderr).to.match(/^Open .*\/a\/latest\/report\.html in a browser\.$/m);
  });

  it("docs/ci.md's artifact globs (reports/2*/...) name the run folder a run writes, once, never through the latest link", async () => {
    const reports = join(out, 'ci', 'reports');
    const r = await cli(['run', join(PROJECT_ROOT, 'test', 'scenario', 'suites', 'slow'), '--grep', '^slow-1$', '--reporter', 'junit,html', '--out', reports]); // a child process: run exits its process
    expect(r.code, r.stderr).to.equal(0);
    const run = readdirSync(reports).filter((n) => n !== 'latest');
    expect(run).to.have.length(1);
    const globs = [...new Set([...readFileSync(join(PROJECT_ROOT, 'docs', 'ci.md'), 'utf8').matchAll(/\breports\/([^\s"'`]*\*[^\s"'`]*)/g)].map((m) => m[1]!))];
    expect(globs).to.include.members(['2*/', '2*/junit.xml']);
    for (const g of globs) {
      const found = await glob(g, { cwd: reports, onlyFiles: !g.endsWith('/'), followSymbolicLinks: true });
      expect(found, g).to.deep.equal([g.endsWith('/') ? `${run[0]}/` : g.replace(/^2\*/, run[0]!)]);
    }
    expect(readdirSync(join(reports, run[0]!))).to.include.members(['junit.xml', 'report.html']);
  });
});
