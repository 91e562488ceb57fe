/**
 * How the journal keeps a message body over its size cap: the first and last
 * `JOURNAL_LIMITS.keptHeadTail` characters, and between them a comment that says it was cut,
 * how long the body was and its SHA-256, so one can still tell two big bodies apart and
 * check one against a copy. Bodies up to the cap are kept whole.
 */
import { createHash } from 'node:crypto';

export interface CutBody {
  text: string;
  /** The note recorded with the exchange, when the body was cut. */
  note?: string;
}

export function cutBody(which: 'request' | 'response', body: string, cap: number, keep: number): CutBody {
  if (body.length <= cap) return { text: body };
  const sha = createHash('sha256').update(body).digest('hex');
  const bytes = Buffer.byteLength(body);
  const marker = `\n<!-- station-harness journal: ${which} body cut, ${bytes} bytes (${body.length} characters), sha256 ${sha}; the first and the last ${keep} characters are kept -->\n`;
  return {
    text: detached(body.slice(0, keep) + marker + body.slice(body.length - keep)),
    note: `${which} body of ${bytes} bytes cut in the journal (over its cap of ${cap} characters): first and last ${keep} characters kept, sha256 ${sha}`,
  };
}

/**
 * A copy of `s` that shares no memory with the string it was sliced from. V8 keeps a slice
 * (or a concatenation of slices) as a view of its parent: the 16 KB kept of a 4.9 MB body
 * held the whole body alive, so the journal's byte budget counted 16 KB for 4.9 MB of heap
 * (100 such requests: +470 MB; the Nodo ran out of heap). UTF-16 both ways keeps every code
 * unit as it was, a surrogate cut in half included.
 */
function detached(s: string): string {
  return Buffer.from(s, 'utf16le').toString('utf16le');
}
