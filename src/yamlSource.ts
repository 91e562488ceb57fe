/**
 * Locating YAML: every config and scenario loader reports problems as file:line:col.
 * One place turns JSON pointers (ajv's instancePath) and key paths into YAML node positions.
 */
import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { issue, type Issue } from './xml/index.ts';

export type YamlPath = (string | number)[];
export type Locator = (path: YamlPath) => { line: number; col: number } | undefined;

/** `/a/0/b~1c` → `['a', 0, 'b/c']` (ajv instancePath, JSON pointer). */
export function pointerPath(pointer: string): YamlPath {
  return pointer
    .split('/')
    .filter(Boolean)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** `['a', 0, 'b']` → `a[0].b` */
export const pathText = (p: YamlPath): string =>
  p
    .map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`))
    .join('')
    .replace(/^\./, '');

/**
 * The one YAML locator: position of the node at `base + path` in a parsed document, or of its
 * nearest existing ancestor (a missing key is reported where its parent is). With `atKey`, a path
 * ending in a key that exists is located at the key itself (an unknown or misspelt key), not its value.
 * Pointer-based callers (ajv's instancePath) go through `pointerPath`.
 */
export function yamlLocator(doc: Document, lineCounter: LineCounter, base: YamlPath = [], opts: { atKey?: boolean } = {}): Locator {
  return (path) => {
    const full = [...base, ...path];
    const last = full[full.length - 1];
    if (opts.atKey && path.length > 0 && typeof last === 'string') {
      const parent = doc.getIn(full.slice(0, -1), true);
      const pair = isMap(parent) ? parent.items.find((p) => isScalar(p.key) && String(p.key.value) === last) : undefined;
      if (pair && isNode(pair.key) && pair.key.range) {
        const p = lineCounter.linePos(pair.key.range[0]);
        return { line: p.line, col: p.col };
      }
    }
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn([...base, ...path.slice(0, n)], true);
      if (isNode(node) && node.range) {
        const p = lineCounter.linePos(node.range[0]);
        return { line: p.line, col: p.col };
      }
    }
    return undefined;
  };
}

/**
 * Parses YAML text keeping positions; syntax errors become Issues with `code`, located in `file`,
 * their message passed through `wording` (first line of the parser's message).
 */
export function parseYaml(
  text: string,
  file: string,
  code: string,
  wording: (message: string) => string = (m) => m,
): { ok: true; doc: Document; lineCounter: LineCounter } | { ok: false; issues: Issue[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (!doc.errors.length) return { ok: true, doc, lineCounter };
  return {
    ok: false,
    issues: doc.errors.map((e) => {
      const p = lineCounter.linePos(e.pos[0]);
      return issue(code, wording(e.message.split('\n')[0]!), { line: p.line, col: p.col, source: file });
    }),
  };
}
