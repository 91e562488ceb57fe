/** A positions file from disk: NDJSON (`.ndjson`, `.jsonl`: streamed, for big sets) or YAML. */
import { readTextFile } from '../fileText.ts';
import { parsePositionsYaml, type LoadResult } from './positions.ts';
import { loadPositionsNdjson } from './positionsNdjson.ts';

/** Reads and loads a positions file: NDJSON (`.ndjson`, `.jsonl`: streamed, for big sets) or YAML. */
export function loadPositionsFile(file: string): LoadResult {
  if (/\.(ndjson|jsonl)$/i.test(file)) return loadPositionsNdjson(file);
  const r = readTextFile(file, { what: 'the positions file', code: 'IO', fix: 'Pass an existing YAML or NDJSON file to --positions.' });
  return r.ok ? parsePositionsYaml(r.text, file) : r;
}
