/**
 * Locating YAML: every config and scenario loader reports problems as file:line:col.
 * One place turns JSON pointers (ajv's instancePath) and key paths into YAML node positions.
 */
import { isNode, type Document, type LineCounter } from 'yaml';

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
