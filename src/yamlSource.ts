/**
 * Locating YAML: every config and scenario loader reports problems as file:line:col.
 * One place turns JSON pointers (ajv's instancePath) and key paths into YAML node positions.
 */
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { issue, type Issue } from './xml/issue.ts';

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
export const pathText = (p: YamlPath): string => p.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('').replace(/^\./, '');

/**
 * Position of the node at `base + path` in a parsed document, or of its nearest existing
 * ancestor (a missing key is reported where its parent is).
 */
export function yamlLocator(doc: Document, lineCounter: LineCounter, base: YamlPath = []): Locator {
  return (path) => {
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
export function parseYaml(text: string, file: string, code: string, wording: (message: string) => string = (m) => m): { ok: true; doc: Document; lineCounter: LineCounter } | { ok: false; issues: Issue[] } {
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
