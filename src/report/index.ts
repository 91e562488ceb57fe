/**
 * The reporters map and writeReports(): reports/<timestamp>/ with junit.xml,
 * report.html, report.json and evidence/, then a copy in reports/latest/ (a copy, not a
 * symlink, so CI artifact uploaders and Windows see plain files).
 */
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ERR, HarnessError } from '../errors.ts';
import { writeEvidence } from './evidence.ts';
import { reportHtml } from './html.ts';
import { reportJson } from './json.ts';
import { junitXml } from './junit.ts';
import type { RunResult } from './model.ts';

export type { RunResult, CaseResult } from './model.ts';
export { createRecorder, flushOnSigint, type Recorder } from './recorder.ts';

export type ReporterName = 'junit' | 'html' | 'json' | 'evidence';

/** Each reporter writes into the run folder and returns the paths it wrote. */
export const REPORTERS: Record<ReporterName, (run: RunResult, dir: string) => string[]> = {
  junit: (run, dir) => [write(join(dir, 'junit.xml'), junitXml(run))],
  html: (run, dir) => [write(join(dir, 'report.html'), reportHtml(run))],
  json: (run, dir) => [write(join(dir, 'report.json'), reportJson(run))],
  evidence: (run, dir) => {
    const n = writeEvidence(run, join(dir, 'evidence'));
    return n ? [join(dir, 'evidence')] : [];
  },
};

export const REPORTER_NAMES = Object.keys(REPORTERS) as ReporterName[];

function write(path: string, text: string): string {
  writeFileSync(path, text);
  return path;
}

/** Checks a --reporter list; an unknown name is a usage error naming the known ones. */
export function parseReporters(list: string | undefined): ReporterName[] {
  if (!list) return REPORTER_NAMES;
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = names.filter((n) => !(n in REPORTERS));
  if (bad.length) throw new HarnessError(ERR.USAGE, `Failed to parse --reporter: unknown reporter ${bad.map((b) => `'${b}'`).join(', ')}. Use a comma-separated list of ${REPORTER_NAMES.join(', ')}.`);
  return names as ReporterName[];
}

/** `2026-01-15T10-00-00-123Z`: sortable, and valid in file names everywhere. */
export function runFolderName(d = new Date()): string {
  return d.toISOString().replace(/[:.]/g, '-');
}

export interface WrittenReports {
  dir: string;
  latest: string;
  files: string[];
}

export function writeReports(run: RunResult, opts: { outDir?: string; reporters?: ReporterName[]; now?: Date } = {}): WrittenReports {
  const root = resolve(opts.outDir ?? 'reports');
  const dir = join(root, runFolderName(opts.now));
  const latest = join(root, 'latest');
  try {
    mkdirSync(dir, { recursive: true });
    const files = (opts.reporters ?? REPORTER_NAMES).flatMap((r) => REPORTERS[r](run, dir));
    rmSync(latest, { recursive: true, force: true });
    cpSync(dir, latest, { recursive: true });
    return { dir, latest, files };
  } catch (e) {
    throw new HarnessError(ERR.IO, `Failed to write the reports to ${root}: ${(e as Error).message}. Check that the folder is writable or pass --out <dir>.`);
  }
}
