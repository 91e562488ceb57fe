/**
 * Positions from NDJSON (`station --positions file.ndjson`, also `.jsonl`): one JSON object
 * per line, read in 1 MB chunks and packed as it goes (positionTable.ts), so 1M notices load
 * without the whole file or a document tree in memory. A line with a `noticeNumber` is a
 * position (the same fields as in YAML); any other line holds file-level fields (`stations`,
 * `injections`, `services`, `sendTimeout`). Blank lines are skipped. Problems are issues at
 * file:line:col, at most MAX_ISSUES of them.
 */
import { fileReadMessage } from '../fileText.ts';
import { closeSync, openSync, readSync } from 'node:fs';
import { issue, type Issue } from '../xml/index.ts';
import { positionKey, type StationsConfig } from './model.ts';
import { PackedPositions } from './positionTable.ts';
import { positionSchema } from './positionsSchema.ts';
import { ajvIssues, lastErrors, normalizePositions, positionOf, validatePosition, type LoadResult } from './positions.ts';

const MAX_ISSUES = 50;
const CHUNK = 1024 * 1024;

export function loadPositionsNdjson(file: string): LoadResult {
  const issues: Issue[] = [];
  const warnings: Issue[] = [];
  const packed = new PackedPositions();
  let config: StationsConfig | undefined;
  let lineNo = 0;
  const at = (line: number, col = 1) => ({ line, col, source: file });

  const onLine = (text: string) => {
    lineNo++;
    if (!text.trim()) return;
    const line = lineNo;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      const pos = /position (\d+)/.exec((e as Error).message);
      issues.push(
        issue(
          'POSITIONS_SYNTAX',
          `not a JSON object: ${(e as Error).message}. Each line holds one JSON object (a position, or file-level fields such as stations)`,
          at(line, pos ? Number(pos[1]) + 1 : 1),
        ),
      );
      return;
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      issues.push(issue('POSITIONS_SYNTAX', 'is not a JSON object: each line holds one position, or file-level fields such as stations', at(line)));
      return;
    }
    const locate = () => ({ line, col: 1 });
    if (!('noticeNumber' in raw)) {
      const r = normalizePositions(raw, { locate, source: file });
      if (!r.ok) issues.push(...r.issues);
      else if (!config) config = r.config;
      else {
        config.stations.push(...r.config.stations);
        config.injections.push(...r.config.injections);
        config.services.push(...r.config.services);
        if (r.config.sendTimeoutMs !== undefined) config.sendTimeoutMs = r.config.sendTimeoutMs;
      }
      return;
    }
    if (!validatePosition(raw)) {
      issues.push(...ajvIssues(lastErrors(positionSchema), raw, locate, file));
      return;
    }
    const ctx = { issues, warnings, locate, source: file, base: '' };
    const p = positionOf(raw as Record<string, unknown>, ctx, '');
    if (!p) return;
    if (packed.keys.has(positionKey(p.fiscalCode, p.noticeNumber))) {
      issues.push(
        issue('POSITIONS_INVALID', `/noticeNumber duplicates notice ${p.noticeNumber} of EC ${p.fiscalCode}: each notice must appear once`, at(line)),
      );
      return;
    }
    packed.add(p);
  };

  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    return {
      ok: false,
      issues: [issue('IO', fileReadMessage('the positions file', file, e, 'Pass an existing YAML or NDJSON file to --positions.'), { source: file })],
    };
  }
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let carry: Buffer = Buffer.alloc(0);
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      const data = carry.length ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
      let start = 0;
      for (let nl = data.indexOf(10, start); nl !== -1 && issues.length < MAX_ISSUES; nl = data.indexOf(10, start)) {
        onLine(data.toString('utf8', start, nl > start && data[nl - 1] === 13 ? nl - 1 : nl));
        start = nl + 1;
      }
      if (issues.length >= MAX_ISSUES) break;
      carry = Buffer.from(data.subarray(start));
    }
    if (carry.length && issues.length < MAX_ISSUES) onLine(carry.toString('utf8'));
  } finally {
    closeSync(fd);
  }
  if (issues.length >= MAX_ISSUES)
    issues.push(issue('POSITIONS_INVALID', `stopped reading at line ${lineNo} after ${MAX_ISSUES} problems: fix these first`, at(lineNo)));
  if (issues.length) return { ok: false, issues };
  const out = config ?? { stations: [], positions: [], injections: [], services: [] };
  out.packed = packed;
  return { ok: true, config: out, warnings };
}
