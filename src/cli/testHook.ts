/**
 * Test hook, for the signal tests only (documented in src/report/README.md, not in --help): the
 * process waits without blocking at a named point so that a test can send a signal there.
 */
import { existsSync } from 'node:fs';

/**
 * With HARNESS_TEST_PAUSE_AFTER=scenarios and HARNESS_TEST_RESUME_FILE=<path>, a run waits once its
 * scenarios have ended, before any report is written (runReports.ts); with =command, the process
 * waits once its command is done, its exit code set (main.ts). It says so on stderr and resumes when the file exists (at most `maxMs`). A signal meanwhile is
 * handled as it would be at that point (during the run, a second Ctrl-C writes what ran at once), so
 * a test sends it after that line instead of racing the process with a timer.
 */
export async function testPauseAt(point: 'scenarios' | 'command', where: string, env = process.env, maxMs = 60_000): Promise<boolean> {
  const resume = env['HARNESS_TEST_RESUME_FILE'];
  if (env['HARNESS_TEST_PAUSE_AFTER'] !== point || !resume) return false;
  process.stderr.write(
    `test hook: paused ${where}, until ${resume} exists, at most ${Math.ceil(maxMs / 1000)} s (HARNESS_TEST_PAUSE_AFTER and HARNESS_TEST_RESUME_FILE are set: unset them)\n`,
  );
  const until = Date.now() + maxMs;
  while (!existsSync(resume) && Date.now() < until) await new Promise<void>((r) => setTimeout(r, 20));
  return true;
}
