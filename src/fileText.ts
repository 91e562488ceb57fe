/**
 * Reading the files people hand to the harness (registry, positions, profile, scenarios, messages):
 * one wording for a file that cannot be read, "Failed to read <what> '<file>': <why>. <what to do>."
 */
import { readFileSync } from 'node:fs';
import { issue, type Issue } from './xml/index.ts';

/** Why a file could not be opened or read, in words: no such file, a directory, or the system's message. */
export function fileProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
}

/** The message for a file that cannot be read: `what` names it for people ("the registry"), `fix` says what to do. */
export const fileReadMessage = (what: string, file: string, e: unknown, fix: string): string => `Failed to read ${what} '${file}': ${fileProblem(e)}. ${fix}`;

/** Reads a UTF-8 text file; a failure is one Issue with `code` and the message above, located in the file. */
export function readTextFile(
  file: string,
  opts: { what: string; code: string; fix: string; source?: string },
): { ok: true; text: string } | { ok: false; issues: Issue[] } {
  try {
    return { ok: true, text: readFileSync(file, 'utf8') };
  } catch (e) {
    return { ok: false, issues: [issue(opts.code, fileReadMessage(opts.what, opts.source ?? file, e, opts.fix), { source: opts.source ?? file })] };
  }
}
