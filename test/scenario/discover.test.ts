/**
 * Scenario discovery: files, directories and globs (tinyglobby) expand to the same sorted
 * YAML files a directory walk finds: fixtures/, hidden files and non-YAML files left out.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import { discover } from '../../src/scenario/discover.ts';

describe('scenario discovery: files, directories and globs', () => {
  let root: string;
  const rel = (files: string[]) => files.map((f) => relative(root, f).split('\\').join('/'));
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'discover-'));
    for (const f of [
      'a/one.yaml',
      'a/two.yml',
      'a/notes.md',
      'a/b/three.yaml',
      'a/b/c/four.yaml',
      'a/fixtures/positions.yaml',
      'a/.hidden.yaml',
      'x1.yaml',
      'x22.yaml',
    ]) {
      mkdirSync(join(root, f, '..'), { recursive: true });
      writeFileSync(join(root, f), 'id: x\n');
    }
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('a directory: every YAML file below it, sorted, fixtures/ and hidden files left out', () => {
    const r = discover(['a'], root);
    expect(r.issues).to.deep.equal([]);
    expect(rel(r.files)).to.deep.equal(['a/b/c/four.yaml', 'a/b/three.yaml', 'a/one.yaml', 'a/two.yml']);
  });

  it('* stays within one folder, ** crosses folders, ? is one character', () => {
    expect(rel(discover(['a/*.yaml'], root).files)).to.deep.equal(['a/one.yaml']);
    expect(rel(discover(['a/*'], root).files)).to.deep.equal(['a/one.yaml', 'a/two.yml']);
    expect(rel(discover(['a/**/*.yaml'], root).files)).to.deep.equal(['a/b/c/four.yaml', 'a/b/three.yaml', 'a/one.yaml']);
    expect(rel(discover(['x?.yaml'], root).files)).to.deep.equal(['x1.yaml']);
    expect(rel(discover([join(root, 'a', 'b', '*', '*.yaml')]).files)).to.deep.equal(['a/b/c/four.yaml']);
  });

  it('a glob under fixtures/ itself is honoured; the same file named twice is listed once', () => {
    expect(rel(discover(['a/fixtures/*.yaml'], root).files)).to.deep.equal(['a/fixtures/positions.yaml']);
    expect(rel(discover(['a/one.yaml', 'a/*.yaml'], root).files)).to.deep.equal(['a/one.yaml']);
  });

  it('a glob that matches nothing and a missing path are SCENARIO_NOT_FOUND issues naming the input', () => {
    const r = discover(['a/*.json', 'missing/**/*.yaml', 'nope.yaml'], root);
    expect(r.files).to.deep.equal([]);
    expect(r.issues.map((i) => [i.code, i.source])).to.deep.equal([
      ['SCENARIO_NOT_FOUND', 'a/*.json'],
      ['SCENARIO_NOT_FOUND', 'missing/**/*.yaml'],
      ['SCENARIO_NOT_FOUND', 'nope.yaml'],
    ]);
    expect(r.issues[0]!.message).to.contain("no YAML file matches 'a/*.json'");
  });
});
