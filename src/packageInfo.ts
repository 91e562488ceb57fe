/**
 * The harness's name and version, read from package.json in one place (CLI --version, the
 * `tool` of every report). A package.json that cannot be read gives 0.0.0, never a crash.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './paths.ts';

export const PACKAGE_NAME = 'pagopa-station-harness';

let version: string | undefined;

/** The version in package.json (read once). */
export function packageVersion(): string {
  if (version === undefined) {
    try {
      const v = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version?: unknown }).version;
      version = typeof v === 'string' ? v : '0.0.0';
    } catch {
      version = '0.0.0';
    }
  }
  return version;
}
