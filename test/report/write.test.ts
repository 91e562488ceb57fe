/**
 * reports/ (issue 13.4, 18.4): `latest` is a link to the newest complete run, not a second copy;
 * old runs beyond --keep are removed (never the one `latest` names, never other folders); each
 * report is put in place by a rename, so no temporary name is left behind.
 */
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { writeReports, type RunResult } from '../../src/report/index.ts';
import { pruneRuns } from '../../src/report/write.ts';

const RUN: RunResult = {
  schemaVersion: 1,
  tool: { name: 'pagopa-station-harness', version: '0.0.0' },
  runId: 'r',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 1,
  interrupted: false,
  bailed: false,
  seed: '',
  targets: {},
  counts: { passed: 0, failed: 0, errored: 0, skipped: 0, total: 0, notRun: 0, findings: 0 },
  cases: [],
  notRun: [],
  notRunCases: [],
};
const at = (i: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, i));

describe('report: the reports folder', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'reports-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('latest is a relative link to the newest run folder (no copy); the run folder holds every report and no temporary name', () => {
    writeReports(RUN, { outDir: root, now: at(1) });
    const w = writeReports(RUN, { outDir: root, now: at(2) });
    expect(lstatSync(join(root, 'latest')).isSymbolicLink()).to.equal(true);
    expect(readlinkSync(join(root, 'latest'))).to.equal('2026-01-01T00-00-02-000Z');
    expect(w.latest).to.equal(join(root, 'latest'));
    expect(readdirSync(w.dir).sort()).to.deep.equal(['junit.xml', 'report.html', 'report.json']);
    expect(readdirSync(root).sort()).to.deep.equal(['2026-01-01T00-00-01-000Z', '2026-01-01T00-00-02-000Z', 'latest']);
    expect(JSON.parse(readFileSync(join(root, 'latest', 'report.json'), 'utf8')).runId).to.equal('r');
  });

  it('two runs in the same millisecond get two folders', () => {
    const a = writeReports(RUN, { outDir: root, now: at(1) });
    const b = writeReports(RUN, { outDir: root, now: at(1) });
    expect(a.dir).to.not.equal(b.dir);
    expect(readlinkSync(join(root, 'latest'))).to.equal('2026-01-01T00-00-01-000Z-1');
  });

  it('keeps the last 10 runs by default, --keep N keeps N; other folders and files are left alone', () => {
    mkdirSync(join(root, 'my-notes'));
    writeFileSync(join(root, 'README.txt'), 'mine');
    for (let i = 1; i <= 12; i++) writeReports(RUN, { outDir: root, now: at(i) });
    const runs = () =>
      readdirSync(root)
        .filter((n) => n.startsWith('2026'))
        .sort();
    expect(runs()).to.have.length(10);
    expect(runs()[0]).to.equal('2026-01-01T00-00-03-000Z');
    const w = writeReports(RUN, { outDir: root, now: at(13), keep: 3 });
    expect(runs()).to.deep.equal(['2026-01-01T00-00-11-000Z', '2026-01-01T00-00-12-000Z', '2026-01-01T00-00-13-000Z']);
    expect(w.pruned).to.have.length(8);
    expect(existsSync(join(root, 'my-notes'))).to.equal(true);
    expect(readFileSync(join(root, 'README.txt'), 'utf8')).to.equal('mine');
    writeReports(RUN, { outDir: root, now: at(14), keep: Infinity });
    expect(runs()).to.have.length(4);
  });

  it('never removes the run latest names, even when it is older than the ones kept', () => {
    for (let i = 1; i <= 3; i++) writeReports(RUN, { outDir: root, now: at(i) });
    // latest -> run 3; a newer folder appears (another process mid-write) and keep is 1.
    mkdirSync(join(root, '2026-01-01T00-00-09-000Z'));
    expect(pruneRuns(root, 1, join(root, '2026-01-01T00-00-09-000Z')).sort()).to.deep.equal(['2026-01-01T00-00-01-000Z', '2026-01-01T00-00-02-000Z']);
    expect(existsSync(join(root, '2026-01-01T00-00-03-000Z'))).to.equal(true);
  });

  it('a latest/ folder copied by an older version is replaced by the link', () => {
    mkdirSync(join(root, 'latest'));
    writeFileSync(join(root, 'latest', 'junit.xml'), 'old copy');
    writeReports(RUN, { outDir: root, now: at(1) });
    expect(lstatSync(join(root, 'latest')).isSymbolicLink()).to.equal(true);
    expect(readFileSync(join(root, 'latest', 'junit.xml'), 'utf8')).to.contain('<testsuites>');
  });
});
