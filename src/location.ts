/**
 * `file:line:col` for messages about a place in a file; just `file` when there is no place (a
 * missing or unreadable file has no line 0, column 0).
 */
export function fileAt(source: string, line?: number, col?: number): string {
  if (!line) return source;
  return col ? `${source}:${line}:${col}` : `${source}:${line}`;
}
