/**
 * Maps the XPath that libxml2 reports for a validation error (`xmlGetNodePath` form,
 * e.g. `/soapenv:Envelope/soapenv:Body/pafn:x/data/transfer[2]` or `/*\/*[3]` for
 * elements in a default namespace) to the line and column of that element's start tag.
 * libxml2 gives no column for validation errors, so we scan the text ourselves; this
 * runs only when a message is invalid.
 */

export interface TagLocation {
  line: number;
  col: number;
  /** Readable path: raw tag names, `[n]` only when same-named siblings exist. */
  path: string;
}

interface Open {
  key: string;
  defaultNs: string;
  /** Same-key sibling counts of this element's children, and the count of all element children. */
  counts: Map<string, number>;
  all: number;
  names: Map<string, number>;
  displayPath: string;
}

const MARKUP =
  /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<!([^>]*)>|<\/([^\s>]+)\s*>|<([^\s/>!?]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
const DEFAULT_NS = /\sxmlns\s*=\s*(?:"([^"]*)"|'([^']*)')/;

/**
 * Every start tag of `text`, keyed by its canonical libxml2 path (each step with an
 * explicit index, e.g. `/a[1]/*[2]/b[1]`).
 */
export function indexStartTags(text: string): Map<string, TagLocation> {
  const out = new Map<string, TagLocation>();
  const rootCounts: Open = { key: '', defaultNs: '', counts: new Map(), all: 0, names: new Map(), displayPath: '' };
  const stack: Open[] = [rootCounts];
  const pending: { parent: Open; self: Open; raw: string; nth: number; loc: TagLocation }[] = [];
  let line = 1;
  let lineStart = 0;
  let scanned = 0;
  const advanceTo = (offset: number) => {
    for (let i = scanned; i < offset; i++) {
      if (text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    scanned = offset;
  };
  MARKUP.lastIndex = 0;
  for (let m = MARKUP.exec(text); m; m = MARKUP.exec(text)) {
    if (m[2] !== undefined) {
      if (stack.length > 1) stack.pop();
      continue;
    }
    const raw = m[3];
    if (raw === undefined) continue;
    advanceTo(m.index);
    const parent = stack[stack.length - 1]!;
    const nsDecl = DEFAULT_NS.exec(m[4] ?? '');
    const defaultNs = nsDecl ? (nsDecl[1] ?? nsDecl[2] ?? '') : parent.defaultNs;
    const generic = !raw.includes(':') && defaultNs !== '';
    parent.all++;
    const key = generic ? '*' : raw;
    const index = generic ? parent.all : (parent.counts.get(key) ?? 0) + 1;
    parent.counts.set(key, index);
    const nth = (parent.names.get(raw) ?? 0) + 1;
    parent.names.set(raw, nth);
    const canonical = `${parent.key}/${key}[${index}]`;
    const loc: TagLocation = { line, col: m.index - lineStart + 1, path: '' };
    out.set(canonical, loc);
    const self: Open = { key: canonical, defaultNs, counts: new Map(), all: 0, names: new Map(), displayPath: '' };
    pending.push({ parent, self, raw, nth, loc });
    if (m[5] !== '/') stack.push(self);
  }
  // Readable paths need the final sibling counts: `[n]` only when there are several.
  // Document order: a parent's readable path is always set before its children's.
  for (const p of pending) {
    p.self.displayPath = `${p.parent.displayPath}/${p.raw}${(p.parent.names.get(p.raw) ?? 0) > 1 ? `[${p.nth}]` : ''}`;
    p.loc.path = p.self.displayPath;
  }
  return out;
}

/** `/a/b[2]/text()` → `/a[1]/b[2]`: explicit indexes, attribute and text steps dropped. */
export function canonicalXPath(xpath: string): string {
  return xpath
    .split('/')
    .filter((s) => s !== '' && s !== 'text()' && !s.startsWith('@') && !s.startsWith('comment()'))
    .map((s) => (/\[\d+\]$/.test(s) ? s : `${s}[1]`))
    .map((s) => `/${s}`)
    .join('');
}

/** Location of the element named by a libxml2 XPath in `text`, or undefined when it cannot be found. */
export function locateXPath(index: Map<string, TagLocation>, xpath: string | undefined): TagLocation | undefined {
  if (!xpath) return undefined;
  return index.get(canonicalXPath(xpath));
}

/** The start tag of element `local` (any prefix) on `line`, e.g. to place an issue about a whole element. */
export function findStartTag(text: string, line: number, local: string): TagLocation | undefined {
  const name = new RegExp(`/([\\w.-]+:)?${local.replace(/[.-]/g, '\\$&')}(\\[\\d+\\])?$`);
  for (const t of indexStartTags(text).values()) if (t.line === line && name.test(t.path)) return t;
  return undefined;
}
