/**
 * Nothing recorded is lost when a run is interrupted (issue 18.4), on the real CLI process:
 * signals sent while a scenario runs, twice, while the reports are written (made deterministic
 * by the CLI's test hook: the writer stops after a given report until the test releases it), and
 * a SIGKILL while writing, which must leave `latest` on the previous complete run. After each:
 * the exit code of the signal, its name in the message, and complete, valid reports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { PROJECT_ROOT } from '../../src/paths.ts';
import type { RunResult } from '../../src/report/model.ts';
import { junitErrorsBoth } from '../support/junitSchemas.ts';
import { testPauseAfterWrite, testPauseBeforeWrite } from '../../src/cli/runReports.ts';

const SLOW = join(PROJECT_ROOT, 'test', 'scenario', 'suites', 'slow');
const MIXED = join(PROJECT_ROOT, 'test', 'report', 'suites', 'mixed.yaml');

interface Spawned {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs the CLI; `on(stderrSoFar, child)` is called on every stderr chunk. */
function cli(args: string[], on: (stderr: string, child: ChildProcess) => void = () => {}, env: Record<string, string> = {}): Promise<Spawned> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, NO_COLOR: '1', ...env },
    });
    let stderr = '';
    child.stdout!.resume();
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
      on(stderr, child);
    });
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

/** Calls `fn` once, the first time `re` matches the text. */
function once(re: RegExp, fn: (child: ChildProcess) => void): (text: string, child: ChildProcess) => void {
  let done = false;
  return (text, child) => {
    if (!done && re.test(text)) {
      done = true;
      fn(child);
    }
  };
}

/** The run folder `latest` names, with every report in it complete and valid. */
function completeReports(out: string): { dir: string; json: RunResult; junit: string } {
  expect(lstatSync(join(out, 'latest')).isSymbolicLink(), 'latest is a link').to.equal(true);
  const dir = join(out, readlinkSync(join(out, 'latest')));
  expect(readdirSync(dir).sort()).to.deep.equal(['evidence', 'junit.xml', 'report.html', 'report.json']);
  const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as RunResult;
  const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
  expect(junitErrorsBoth(junit)).to.deep.equal([]);
  expect(readFileSync(join(dir, 'report.html'), 'utf8')).to.match(/<\/html>\n$/);
  return { dir, json, junit };
}

describe('cli: signals during a run leave complete reports (issue 18.4)', function () {
  this.timeout(120_000);
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'signals-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('SIGTERM while a scenario runs: exit 143, a SIGTERM message (not Ctrl-C), the report of what ran; not-run scenarios skipped in JUnit', async () => {
    const out = join(tmp, 'term');
    const r = await cli(
      ['run', SLOW, '--jobs', '1', '--out', out],
      once(/✓ slow-1/, (c) => c.kill('SIGTERM')),
    );
    expect(r.code, r.stderr).to.equal(143);
    expect(r.stderr).to.contain('Interrupted by SIGTERM: stopping after the running scenarios');
    expect(r.stderr).to.not.contain('Ctrl-C');
    const { json, junit } = completeReports(out);
    expect(json).to.include({ interrupted: true, interruption: 'SIGTERM' });
    expect(json.cases.map((c) => [c.id, c.state])).to.deep.equal([
      ['slow-1', 'passed'],
      ['slow-2', 'errored'],
    ]);
    expect(json.notRun).to.deep.equal(['slow-3']);
    expect(junit).to.match(/<error message="interrupted \(SIGTERM\) before the scenario finished/);
    expect(junit).to.match(
      /<testcase name="slow-3: never reached when interrupted"[^>]*>\s*<skipped message="not run: the run was interrupted \(SIGTERM\) before this scenario started"\/>/,
    );
  });

  it('Ctrl-C twice: exit 130 and every report complete (was: junit.xml only)', async () => {
    const out = join(tmp, 'int2');
    let sent = 0;
    // The second Ctrl-C must come before the writing starts. Sent on "Interrupted by Ctrl-C", it raced the
    // run's end (under load it came after the reports were written and the handlers gone: killed, exit
    // null). The test hook holds the run after its scenarios, handlers in place, until it is sent.
    const r = await cli(
      ['run', SLOW, '--jobs', '1', '--out', out],
      (text, c) => {
        if (sent === 0 && /✓ slow-1/.test(text)) {
          c.kill('SIGINT');
          sent = 1;
        } else if (sent === 1 && /test hook: paused after the scenarios, before writing the reports/.test(text)) {
          c.kill('SIGINT');
          sent = 2;
        }
      },
      { HARNESS_TEST_PAUSE_AFTER: 'scenarios', HARNESS_TEST_RESUME_FILE: join(tmp, 'never-resume-int2') },
    );
    expect(r.code, r.stderr).to.equal(130);
    expect(r.stderr).to.contain('Ctrl-C (SIGINT) again: writing the report of what ran now, then stopping.');
    const { json } = completeReports(out);
    expect(json).to.include({ interrupted: true, interruption: 'SIGINT' });
    expect(json.cases[0]).to.include({ id: 'slow-1', state: 'passed' });
  });

  it('Ctrl-C once the command is done, while the process ends: exit 130, not killed by the signal', async () => {
    const out = join(tmp, 'int-late');
    // The process is held after its command, its reports written and the run's handlers gone (the
    // hook's line): before the fix a signal there killed it (exit null); without the signal it exits 1.
    const r = await cli(
      ['run', MIXED, '--out', out],
      once(/test hook: paused after the command/, (c) => c.kill('SIGINT')),
      { HARNESS_TEST_PAUSE_AFTER: 'command', HARNESS_TEST_RESUME_FILE: join(tmp, 'never-command') },
    );
    expect([r.code, r.signal], r.stderr).to.deep.equal([130, null]);
    expect(r.stderr).to.match(/Reports: [^\n]*\n[\s\S]*test hook: paused after the command/);
    expect(completeReports(out).json.interrupted ?? false).to.equal(false);
  });

  it('SIGTERM while the reports are written: the writing finishes, then exit 143', async () => {
    const out = join(tmp, 'writing');
    const resume = join(tmp, 'resume-writing');
    const r = await cli(
      ['run', MIXED, '--out', out],
      once(/test hook: paused after writing junit\.xml/, (c) => {
        // The signal reaches the paused writer before the file it waits for exists: then let it go on.
        c.kill('SIGTERM');
        writeFileSync(resume, '');
      }),
      { HARNESS_TEST_PAUSE_AFTER: 'junit.xml', HARNESS_TEST_RESUME_FILE: resume },
    );
    expect(r.code, r.stderr).to.equal(143);
    expect(r.stderr).to.contain('SIGTERM received while writing the reports: they are complete; stopping.');
    const { json } = completeReports(out);
    expect(json.interrupted).to.equal(false);
    expect(json.cases).to.have.length(4);
  });

  it('a second Ctrl-C while the reports of an interrupted run are written waits for them: exit 130, reports complete', async () => {
    const out = join(tmp, 'int-writing');
    const resume = join(tmp, 'resume-int');
    let step = 0;
    const r = await cli(
      ['run', SLOW, '--jobs', '1', '--out', out],
      (text, c) => {
        if (step === 0 && /✓ slow-1/.test(text)) {
          c.kill('SIGINT');
          step = 1;
        } else if (step === 1 && /test hook: paused after writing report\.html/.test(text)) {
          step = 2;
          c.kill('SIGINT');
          writeFileSync(resume, '');
        }
      },
      { HARNESS_TEST_PAUSE_AFTER: 'report.html', HARNESS_TEST_RESUME_FILE: resume },
    );
    expect(r.code, r.stderr).to.equal(130);
    expect(r.stderr, r.stderr).to.contain('Ctrl-C (SIGINT) received while writing the reports: they are complete; stopping.');
    expect(completeReports(out).json.notRun).to.deep.equal(['slow-3']);
  });

  it('the test hook pauses only when both variables are set, and returns by itself when the resume file never comes', async () => {
    const never = join(tmp, 'never-resume');
    await testPauseBeforeWrite({ HARNESS_TEST_PAUSE_AFTER: 'scenarios' }); // no resume file named: no pause
    await testPauseBeforeWrite({ HARNESS_TEST_PAUSE_AFTER: 'junit.xml', HARNESS_TEST_RESUME_FILE: never }); // a report, not the scenarios: no pause here
    await testPauseBeforeWrite({ HARNESS_TEST_PAUSE_AFTER: 'scenarios', HARNESS_TEST_RESUME_FILE: never }, 50); // bounded
    testPauseAfterWrite('/x/junit.xml', { HARNESS_TEST_PAUSE_AFTER: 'junit.xml' }); // no resume file named: no pause
    testPauseAfterWrite('/x/report.html', { HARNESS_TEST_PAUSE_AFTER: 'junit.xml', HARNESS_TEST_RESUME_FILE: never }); // another file: no pause
    testPauseAfterWrite('/x/junit.xml', { HARNESS_TEST_PAUSE_AFTER: 'junit.xml', HARNESS_TEST_RESUME_FILE: never }, 50); // bounded
    expect(existsSync(never)).to.equal(false);
  });

  it('killed (SIGKILL) while writing: latest still names the previous complete run; the partial run has no half-written report', async () => {
    const out = join(tmp, 'kill');
    const first = await cli(['run', SLOW, '--grep', '^slow-1$', '--out', out]);
    expect(first.code, first.stderr).to.equal(0);
    const before = readlinkSync(join(out, 'latest'));
    const r = await cli(
      ['run', SLOW, '--grep', '^slow-1$', '--out', out],
      once(/test hook: paused after writing report\.html/, (c) => c.kill('SIGKILL')),
      {
        HARNESS_TEST_PAUSE_AFTER: 'report.html',
        HARNESS_TEST_RESUME_FILE: join(tmp, 'never'),
      },
    );
    expect(r.signal).to.equal('SIGKILL');
    expect(readlinkSync(join(out, 'latest'))).to.equal(before);
    expect(completeReports(out).json.cases.map((c) => c.id)).to.deep.equal(['slow-1']);
    const partial = readdirSync(out).filter((n) => n !== before && n !== 'latest' && !n.startsWith('.'));
    expect(partial).to.have.length(1);
    expect(readdirSync(join(out, partial[0]!)).sort()).to.deep.equal(['junit.xml', 'report.html']);
    expect(junitErrorsBoth(readFileSync(join(out, partial[0]!, 'junit.xml'), 'utf8'))).to.deep.equal([]);
    expect(existsSync(join(out, partial[0]!, 'report.json'))).to.equal(false);
  });
});
