import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { PROJECT_ROOT } from '../../src/paths.ts';
import { cli } from './validate.test.ts';

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
    expect(r.stdout).to.equal('');
  });

  it('no command prints the help and exits 2', async () => {
    const r = await cli([]);
    expect(r.code).to.equal(2);
    expect(r.stdout).to.match(/^station-harness: /);
  });
});
