/** One wording for a file the harness cannot read, whoever reads it (registry, positions, profile, scenarios). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { readTextFile } from '../src/fileText.ts';
import { loadRegistry } from '../src/nodo/registry.ts';
import { loadProfile } from '../src/profile/load.ts';
import { loadPositionsFile } from '../src/station/index.ts';

describe('fileText: a file that cannot be read', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'filetext-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('says what, which file, why (no such file, a directory) and what to do', () => {
    const missing = readTextFile(join(dir, 'nope.yaml'), { what: 'the thing', code: 'X_IO', fix: 'Pass another.' });
    expect(missing.ok).to.equal(false);
    if (!missing.ok)
      expect(missing.issues[0]).to.include({ code: 'X_IO', message: `Failed to read the thing '${join(dir, 'nope.yaml')}': no such file. Pass another.` });
    const folder = readTextFile(dir, { what: 'the thing', code: 'X_IO', fix: 'Pass a file.' });
    if (!folder.ok) expect(folder.issues[0]!.message).to.equal(`Failed to read the thing '${dir}': it is a directory. Pass a file.`);
    else expect.fail('a directory was read');
  });

  it('registry, positions (YAML and NDJSON) and profile loaders all use it', () => {
    const messages = [loadRegistry(dir), loadPositionsFile(dir), loadPositionsFile(join(dir, 'x.ndjson')), loadProfile(dir)].map((r) =>
      r.ok ? 'read' : r.issues[0]!.message,
    );
    expect(messages).to.deep.equal([
      `Failed to read the registry '${dir}': it is a directory. Pass an existing YAML file with --registry.`,
      `Failed to read the positions file '${dir}': it is a directory. Pass an existing YAML or NDJSON file to --positions.`,
      `Failed to read the positions file '${join(dir, 'x.ndjson')}': no such file. Pass an existing YAML or NDJSON file to --positions.`,
      `Failed to read the station profile '${dir}': it is a directory. Pass your station.yaml (station-harness init writes one).`,
    ]);
  });
});
