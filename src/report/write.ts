/**
 * Writing a run's reports so that nothing recorded is lost (issue 18.4) and reports/ does not
 * grow forever (issue 13.4):
 *
 * - each report is written to a temporary name in the run folder and renamed into place, the
 *   evidence folder too: a reader (or a kill) never sees half a file under its real name;
 * - `latest` is a relative symbolic link to the newest complete run folder, replaced by renaming
 *   a new link over it (atomic): if the process dies while a run is written, `latest` still
 *   names the previous complete run. Where links cannot be made (Windows without the right),
 *   `LATEST` is a one-line file naming the folder instead; never a second copy;
 * - run folders beyond the newest `keep` (default 10) are removed afterwards, never the one
 *   `latest` names.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

export const DEFAULT_KEEP = 10;
/** `2026-01-15T10-00-00-123Z` (runFolderName), optionally with a `-N` suffix when two runs share a millisecond. */
const RUN_FOLDER = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z(-\d+)?$/;

const tmpName = (path: string) => join(path, '..', `.${basename(path)}.tmp-${process.pid}`);

/** Writes `text` to `path` through a temporary file and a rename. */
export function writeFileAtomic(path: string, text: string | Buffer): void {
  const tmp = tmpName(path);
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Fills a folder through `fill(tmpDir)` and renames it to `path` when complete. */
export function writeDirAtomic(path: string, fill: (dir: string) => number): number {
  const tmp = tmpName(path);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const n = fill(tmp);
  if (n === 0) {
    rmSync(tmp, { recursive: true, force: true });
    return 0;
  }
  renameSync(tmp, path);
  return n;
}

/** A new run folder under `root`, unique even when two runs start in the same millisecond. */
export function createRunFolder(root: string, name: string): string {
  mkdirSync(root, { recursive: true });
  for (let i = 0; ; i++) {
    const dir = join(root, i ? `${name}-${i}` : name);
    try {
      mkdirSync(dir);
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/** Points `<root>/latest` at the run folder `dir` (atomically); returns the path a person opens. */
export function pointLatest(root: string, dir: string): string {
  const latest = join(root, 'latest');
  const tmp = join(root, `.latest.tmp-${process.pid}`);
  rmSync(tmp, { force: true });
  try {
    symlinkSync(basename(dir), tmp, 'dir');
  } catch {
    writeFileAtomic(join(root, 'LATEST'), `${basename(dir)}\n`);
    return dir;
  }
  // A `latest/` folder copied by an older version is replaced once (not atomic, a one-time migration).
  if (existsSync(latest) && !lstatSync(latest).isSymbolicLink()) rmSync(latest, { recursive: true, force: true });
  renameSync(tmp, latest);
  rmSync(join(root, 'LATEST'), { force: true });
  return latest;
}

/** The run folder `latest` names, if any. */
export function latestRun(root: string): string | undefined {
  try {
    const latest = join(root, 'latest');
    if (lstatSync(latest).isSymbolicLink()) return basename(readlinkSync(latest));
  } catch {
    /* no link: maybe the LATEST file */
  }
  try {
    return readFileSync(join(root, 'LATEST'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Removes the oldest run folders so that `keep` remain (never `current` nor the one `latest` names). Returns what it removed. */
export function pruneRuns(root: string, keep: number, current: string): string[] {
  const protectedNames = new Set([basename(current), latestRun(root)].filter((x): x is string => Boolean(x)));
  const runs = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && RUN_FOLDER.test(d.name))
    .map((d) => d.name)
    .sort();
  const excess = runs.slice(0, Math.max(0, runs.length - keep)).filter((n) => !protectedNames.has(n));
  for (const n of excess) rmSync(join(root, n), { recursive: true, force: true });
  // Temporary names of a writer that was killed (never ours: ours were renamed).
  for (const n of readdirSync(root)) if (/^\.latest\.tmp-\d+$/.test(n) && n !== `.latest.tmp-${process.pid}`) unlinkSync(join(root, n));
  return excess;
}
