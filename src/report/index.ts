/**
 * The reporters map and writeReports(): reports/<timestamp>/ with junit.xml, report.html,
 * report.json and evidence/, each written through a temporary name; then reports/latest, a
 * link to that folder (write.ts), and the oldest runs beyond --keep removed.
 */
import { join, resolve } from 'node:path';
import { ERR, HarnessError } from '../errors.ts';
import { writeEvidence } from './evidence.ts';
import { reportHtml } from './html.ts';
import { reportJson } from './json.ts';
import { junitXml } from './junit.ts';
import type { RunResult } from './model.ts';
import { createRunFolder, DEFAULT_KEEP, pointLatest, pruneRuns, writeDirAtomic, writeFileAtomic } from './write.ts';

export type { RunResult, CaseResult } from './model.ts';
export { createRecorder, type Recorder } from './recorder.ts';
export { DEFAULT_KEEP } from './write.ts';

export type ReporterName = 'junit' | 'html' | 'json' | 'evidence';

/** Each reporter writes into the run folder and returns the paths it wrote. */
export const REPORTERS: Record<ReporterName, (run: RunResult, dir: string) => string[]> = {
  junit: (run, dir) => [write(join(dir, 'junit.xml'), junitXml(run))],
  html: (run, dir) => [write(join(dir, 'report.html'), reportHtml(run))],
  json: (run, dir) => [write(join(dir, 'report.json'), reportJson(run))],
  evidence: (run, dir) => {
    const n = writeDirAtomic(join(dir, 'evidence'), (tmp) => writeEvidence(run, tmp));
    return n ? [join(dir, 'evidence')] : [];
  },
};

export const REPORTER_NAMES = Object.keys(REPORTERS) as ReporterName[];

function write(path: string, text: string): string {
  writeFileAtomic(path, text);
  return path;
}

/** Checks a --reporter list (`source`: the flag or variable it came from); an unknown name is a usage error naming the known ones. */
export function parseReporters(list: string | undefined, source = '--reporter'): ReporterName[] {
  if (!list) return REPORTER_NAMES;
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = names.filter((n) => !(n in REPORTERS));
  if (bad.length || names.length === 0)
    throw new HarnessError(
      ERR.USAGE,
      `Failed to parse ${source}: ${bad.length ? `unknown reporter ${bad.map((b) => `'${b}'`).join(', ')}` : 'no reporter named'}. Use a comma-separated list of ${REPORTER_NAMES.join(', ')}.`,
    );
  return names as ReporterName[];
}

/** `2026-01-15T10-00-00-123Z`: sortable, and valid in file names everywhere. */
export function runFolderName(d = new Date()): string {
  return d.toISOString().replace(/[:.]/g, '-');
}

export interface WrittenReports {
  /** The run folder. */
  dir: string;
  /** `<out>/latest` (a link to `dir`), or `dir` itself where links cannot be made. */
  latest: string;
  files: string[];
  /** Older run folders removed to keep `keep`. */
  pruned: string[];
}

export interface WriteOptions {
  outDir?: string;
  reporters?: ReporterName[];
  now?: Date;
  /** Run folders to keep, this one included (default 10; Infinity keeps all). */
  keep?: number;
  /** Called after each report is in place (the CLI's test hook pauses here: a deterministic "while writing"). */
  onWritten?: (file: string) => void;
}

export function writeReports(run: RunResult, opts: WriteOptions = {}): WrittenReports {
  const root = resolve(opts.outDir ?? 'reports');
  try {
    const dir = createRunFolder(root, runFolderName(opts.now));
    const files: string[] = [];
    for (const r of opts.reporters ?? REPORTER_NAMES) {
      for (const f of REPORTERS[r](run, dir)) {
        files.push(f);
        opts.onWritten?.(f);
      }
    }
    const latest = pointLatest(root, dir);
    const pruned = pruneRuns(root, opts.keep ?? DEFAULT_KEEP, dir);
    return { dir, latest, files, pruned };
  } catch (e) {
    throw new HarnessError(ERR.IO, `Failed to write the reports to ${root}: ${(e as Error).message}. Check that the folder is writable or pass --out <dir>.`);
  }
}
export { formatCauses, groupCauses } from './causes.ts';
export { formatDuration, formatFinding } from './display.ts';
