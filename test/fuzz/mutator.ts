/**
 * A seeded structured mutator for SOAP requests (issue 18, fuzzing). A valid request is
 * turned into a tree; fast-check generates a few mutations (drop, duplicate, reorder,
 * rename or add elements; values of other lengths, patterns, numbers, dates and spacing;
 * namespaces and prefixes; character references, comments, CDATA, processing instructions;
 * a SOAP Header) plus how the message travels (encoding and BOM, Content-Type, SOAPAction).
 * `apply` is a pure function of the seed and the spec, so a failing case replays and shrinks.
 */
import fc from 'fast-check';
import { XmlCData, XmlElement, XmlText, type XmlNode } from 'libxml2-wasm';
import { nextSibling, parseXml } from '../../src/xml/parse.ts';

export interface El {
  name: string;
  attrs: [string, string][];
  kids: Kid[];
}
/** Raw XML text (already escaped, may hold character references, CDATA, comments, PIs). */
export interface Raw {
  raw: string;
}
export type Kid = El | Raw;
const isEl = (k: Kid): k is El => 'name' in k;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The seed as a tree (whitespace-only text dropped). */
export function toTree(xml: string): El {
  const p = parseXml(xml);
  if (!p.ok) throw new Error(`fuzz seed is not XML: ${p.issues[0]!.message}`);
  const walk = (el: XmlElement): El => {
    const kids: Kid[] = [];
    for (let c: XmlNode | null = el.firstChild; c; c = nextSibling(c)) {
      if (c instanceof XmlElement) kids.push(walk(c));
      else if ((c instanceof XmlText || c instanceof XmlCData) && c.content.trim() !== '') kids.push({ raw: esc(c.content) });
    }
    const attrs = Object.entries(el.nsDeclarations).map(([prefix, uri]) => [prefix ? `xmlns:${prefix}` : 'xmlns', uri] as [string, string]);
    return { name: el.prefix ? `${el.prefix}:${el.name}` : el.name, attrs, kids };
  };
  try {
    return walk(p.value.root);
  } finally {
    p.value.doc.dispose();
  }
}

export function serialize(el: El): string {
  const attrs = el.attrs.map(([k, v]) => ` ${k}="${esc(v).replace(/"/g, '&quot;')}"`).join('');
  return `<${el.name}${attrs}>${el.kids.map((k) => (isEl(k) ? serialize(k) : k.raw)).join('')}</${el.name}>`;
}

function clone(el: El): El {
  return { name: el.name, attrs: el.attrs.map(([a, b]) => [a, b]), kids: el.kids.map((k) => (isEl(k) ? clone(k) : { raw: k.raw })) };
}

/** Every element with its parent (root excluded), in document order. */
function elements(root: El): { el: El; parent: El }[] {
  const out: { el: El; parent: El }[] = [];
  const walk = (p: El) => {
    for (const k of p.kids) {
      if (!isEl(k)) continue;
      out.push({ el: k, parent: p });
      walk(k);
    }
  };
  walk(root);
  return out;
}

const leaves = (root: El) => elements(root).filter(({ el }) => el.kids.every((k) => !isEl(k)));
const textOf = (el: El) => el.kids.map((k) => (isEl(k) ? '' : k.raw)).join('');

export type Mutation =
  | { kind: 'drop' | 'duplicate' | 'swap' | 'rename' | 'qualify' | 'defaultNs'; at: number }
  | { kind: 'value'; at: number; value: string; raw: boolean }
  | { kind: 'charRef' | 'cdata' | 'comment' | 'pi' | 'spaces'; at: number; pos: number }
  | { kind: 'add'; at: number; name: string; value: string }
  | { kind: 'prefix'; prefix: string }
  | { kind: 'wrongNs'; uri: string }
  | { kind: 'header'; content: 'constructor' | 'deep' | 'mustUnderstand' | 'proto' };

export interface Spec {
  mutations: Mutation[];
  encoding: 'utf-8' | 'utf-8-bom' | 'utf-16le-bom' | 'utf-16be-bom' | 'latin1-decl' | 'latin1-charset' | 'utf-16-decl-but-utf-8';
  contentType: 'text/xml; charset=utf-8' | 'text/xml' | 'application/soap+xml' | 'text/plain' | 'application/json' | 'none';
  action: 'right' | 'quoted-uri' | 'missing' | 'other' | 'query-control' | 'garbage';
}

const VALUES = [
  '',
  ' ',
  '0',
  '0.00',
  '-1.00',
  '1e3',
  '10.001',
  '999999999.99',
  '1.5',
  'NaN',
  '  100.00  ',
  '100,00',
  '2026-02-30',
  '2026-01-15T10:00:00',
  '2026-13-01',
  '0000-01-01',
  ' 2026-12-31 ',
  'true',
  'TRUE',
  '1',
  'OK',
  'KO',
  'ok',
  '77777777777',
  '7777777777',
  '301000000000100121',
  '3010000000001001210',
  'x'.repeat(36),
  'x'.repeat(141),
  'x'.repeat(1001),
  'Città 😀',
  '<&>"\'',
  '\u0001',
  '\uFFFF',
  '\uD800',
  'IT60X0542811101000000123456',
  'CP',
  'PSP',
  'creditCard',
  '600000',
  '1800001',
];

const NAMES = ['constructor', '__proto__', 'toString', 'x', 'outcome', 'transfer', 'paymentToken', 'metadata', 'idPSP'];

const at = fc.nat({ max: 200 });
export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('drop', 'duplicate', 'swap', 'rename', 'qualify', 'defaultNs'), at }) as fc.Arbitrary<Mutation>,
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('value' as const),
      at,
      value: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...VALUES) }, fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 })),
      raw: fc.boolean(),
    }),
  },
  fc.record({ kind: fc.constantFrom('charRef', 'cdata', 'comment', 'pi', 'spaces'), at, pos: fc.nat({ max: 40 }) }) as fc.Arbitrary<Mutation>,
  fc.record({ kind: fc.constant('add' as const), at, name: fc.constantFrom(...NAMES), value: fc.constantFrom('1', '', 'x') }),
  fc.record({ kind: fc.constant('prefix' as const), prefix: fc.constantFrom('ns0', 'soapenv', 'a', 'xsi') }),
  fc.record({
    kind: fc.constant('wrongNs' as const),
    uri: fc.constantFrom(
      '',
      'urn:other',
      'http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd',
      'http://pagopa-api.pagopa.gov.it/node/nodeForPsp.xsd',
      'http://www.w3.org/2003/05/soap-envelope',
    ),
  }),
  fc.record({ kind: fc.constant('header' as const), content: fc.constantFrom('constructor', 'deep', 'mustUnderstand', 'proto') }),
);

export const specArb: fc.Arbitrary<Spec> = fc.record({
  mutations: fc.array(mutationArb, { minLength: 0, maxLength: 3 }),
  encoding: fc.oneof(
    { weight: 8, arbitrary: fc.constant('utf-8' as const) },
    fc.constantFrom('utf-8-bom', 'utf-16le-bom', 'utf-16be-bom', 'latin1-decl', 'latin1-charset', 'utf-16-decl-but-utf-8') as fc.Arbitrary<Spec['encoding']>,
  ),
  contentType: fc.oneof(
    { weight: 8, arbitrary: fc.constant('text/xml; charset=utf-8' as const) },
    fc.constantFrom('text/xml', 'application/soap+xml', 'text/plain', 'application/json', 'none') as fc.Arbitrary<Spec['contentType']>,
  ),
  action: fc.oneof(
    { weight: 8, arbitrary: fc.constant('right' as const) },
    fc.constantFrom('quoted-uri', 'missing', 'other', 'query-control', 'garbage') as fc.Arbitrary<Spec['action']>,
  ),
});

// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML 1.0 cannot carry
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/g;
/** Escapes `s` for text, but leaves characters XML forbids raw when `raw` (a malformed message). */
const textFor = (s: string, raw: boolean) => (raw ? esc(s) : esc(s).replace(XML_FORBIDDEN, (c) => `&#${c.charCodeAt(0) < 0xd800 ? c.charCodeAt(0) : 0xfffd};`));

function applyOne(root: El, m: Mutation, bodyChild: () => El | undefined): void {
  const all = elements(root);
  const pick = (n: number) => (all.length ? all[n % all.length]! : undefined);
  const leaf = (n: number) => {
    const l = leaves(root);
    return l.length ? l[n % l.length]! : undefined;
  };
  switch (m.kind) {
    case 'drop': {
      const t = pick(m.at);
      if (t) t.parent.kids.splice(t.parent.kids.indexOf(t.el), 1);
      return;
    }
    case 'duplicate': {
      const t = pick(m.at);
      if (t) t.parent.kids.splice(t.parent.kids.indexOf(t.el) + 1, 0, clone(t.el));
      return;
    }
    case 'swap': {
      const t = pick(m.at);
      if (!t) return;
      const i = t.parent.kids.indexOf(t.el);
      const j = t.parent.kids.findIndex((k, n) => n > i && isEl(k));
      if (j > i) [t.parent.kids[i], t.parent.kids[j]] = [t.parent.kids[j]!, t.parent.kids[i]!];
      return;
    }
    case 'rename': {
      const t = pick(m.at);
      if (t) t.el.name = t.el.name.replace(/.$/, (c) => (c === 'x' ? 'y' : 'x'));
      return;
    }
    case 'qualify': {
      const t = pick(m.at);
      const body = bodyChild();
      const prefix = body?.name.includes(':') ? body.name.split(':')[0] : undefined;
      if (t && prefix && !t.el.name.includes(':')) t.el.name = `${prefix}:${t.el.name}`;
      return;
    }
    case 'defaultNs': {
      const t = pick(m.at);
      const body = bodyChild();
      const uri = body?.attrs.find(([k]) => k.startsWith('xmlns'))?.[1] ?? 'urn:x';
      if (t) t.el.attrs.push(['xmlns', uri]);
      return;
    }
    case 'value': {
      const t = leaf(m.at);
      if (t) t.el.kids = [{ raw: textFor(m.value, m.raw) }];
      return;
    }
    case 'charRef': {
      const t = leaf(m.at);
      if (!t) return;
      const text = textOf(t.el);
      const plain = [...text].findIndex((c, i) => i >= m.pos % Math.max(1, text.length) && /[A-Za-z0-9.]/.test(c));
      if (plain < 0) return;
      const c = [...text][plain]!;
      const ref = m.pos % 2 ? `&#${c.codePointAt(0)};` : `&#x${c.codePointAt(0)!.toString(16)};`;
      t.el.kids = [{ raw: [...text].slice(0, plain).join('') + ref + [...text].slice(plain + 1).join('') }];
      return;
    }
    case 'cdata': {
      const t = leaf(m.at);
      if (!t) return;
      const text = textOf(t.el).replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
      if (!/&/.test(text)) t.el.kids = [{ raw: `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>` }];
      return;
    }
    case 'comment':
    case 'pi':
    case 'spaces': {
      const insert = m.kind === 'comment' ? '<!-- fuzz -->' : m.kind === 'pi' ? '<?fuzz data?>' : ' \n\t';
      const t = m.pos % 2 ? leaf(m.at) : pick(m.at);
      if (!t) return;
      if (t.el.kids.every((k) => !isEl(k))) {
        const text = textOf(t.el);
        const cut = [...text].findIndex((_c, i) => i >= (m.pos >> 1) % Math.max(1, text.length));
        const split = cut < 0 || /&[^;]*$/.test([...text].slice(0, cut).join('')) ? text.length : [...text].slice(0, cut).join('').length;
        t.el.kids = [{ raw: text.slice(0, split) + insert + text.slice(split) }];
      } else {
        t.el.kids.splice(m.pos % (t.el.kids.length + 1), 0, { raw: insert });
      }
      return;
    }
    case 'add': {
      const t = pick(m.at);
      if (t) t.el.kids.splice(m.at % (t.el.kids.length + 1), 0, { name: m.name, attrs: [], kids: m.value ? [{ raw: m.value }] : [] });
      return;
    }
    case 'prefix': {
      const body = bodyChild();
      if (!body?.name.includes(':')) return;
      const [old] = body.name.split(':');
      body.name = `${m.prefix}:${body.name.split(':')[1]}`;
      body.attrs = body.attrs.map(([k, v]) => [k === `xmlns:${old}` ? `xmlns:${m.prefix}` : k, v]);
      const root0 = root.attrs.find(([k]) => k === `xmlns:${old}`);
      if (root0) body.attrs.push([`xmlns:${m.prefix}`, root0[1]]);
      return;
    }
    case 'wrongNs': {
      const body = bodyChild();
      if (!body) return;
      const prefix = body.name.includes(':') ? body.name.split(':')[0]! : '';
      const decl = prefix ? `xmlns:${prefix}` : 'xmlns';
      body.attrs = [...body.attrs.filter(([k]) => k !== decl), [decl, m.uri]];
      if (m.uri === '' && prefix) body.name = body.name.split(':')[1]!;
      return;
    }
    case 'header': {
      const header = root.kids.find((k): k is El => isEl(k) && /(^|:)Header$/.test(k.name));
      const content: Kid[] =
        m.content === 'constructor'
          ? [{ raw: '<constructor>1</constructor><prototype/>' }]
          : m.content === 'proto'
            ? [{ raw: '<__proto__><polluted>1</polluted></__proto__>' }]
            : m.content === 'deep'
              ? [{ raw: `${'<h>'.repeat(120)}x${'</h>'.repeat(120)}` }]
              : [{ raw: `<x:Security xmlns:x="urn:x" ${root.name.split(':')[0]}:mustUnderstand="1"/>` }];
      if (header) header.kids.push(...content);
      else root.kids.unshift({ name: `${root.name.split(':')[0]}:Header`, attrs: [], kids: content });
      return;
    }
  }
}

export interface Outgoing {
  body: Buffer;
  headers: Record<string, string>;
  /** Query string to add to the URL (with its '?'), or ''. */
  query: string;
  /** The mutated text before encoding (for reports). */
  text: string;
}

/** The message to send: the seed with the spec applied. `operation` is the right SOAPAction. */
export function apply(seed: El, spec: Spec, operation: string): Outgoing {
  const root = clone(seed);
  const bodyChild = () => {
    const body = root.kids.find((k): k is El => isEl(k) && /(^|:)Body$/.test(k.name));
    return body?.kids.find(isEl);
  };
  for (const m of spec.mutations) applyOne(root, m, bodyChild);
  const xml = serialize(root);
  const decl = (enc: string) => `<?xml version="1.0" encoding="${enc}"?>\n`;
  let body: Buffer;
  let charset = '';
  switch (spec.encoding) {
    case 'utf-8':
      body = Buffer.from(decl('UTF-8') + xml, 'utf8');
      break;
    case 'utf-8-bom':
      body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(decl('UTF-8') + xml, 'utf8')]);
      break;
    case 'utf-16le-bom':
      body = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(decl('UTF-16') + xml, 'utf16le')]);
      charset = 'utf-16';
      break;
    case 'utf-16be-bom':
      body = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(decl('UTF-16') + xml, 'utf16le').swap16()]);
      charset = 'utf-16';
      break;
    case 'latin1-decl':
      body = Buffer.from(decl('ISO-8859-1') + xml, 'latin1');
      break;
    case 'latin1-charset':
      body = Buffer.from(xml, 'latin1');
      charset = 'iso-8859-1';
      break;
    case 'utf-16-decl-but-utf-8':
      body = Buffer.from(decl('UTF-16') + xml, 'utf8');
      break;
  }
  const headers: Record<string, string> = {};
  if (spec.contentType !== 'none') {
    headers['content-type'] = charset && spec.contentType.startsWith('text/xml') ? `text/xml; charset=${charset}` : spec.contentType;
  }
  let query = '';
  switch (spec.action) {
    case 'right':
      headers['soapaction'] = `"${operation}"`;
      break;
    case 'quoted-uri':
      headers['soapaction'] = `"urn:x/${operation}"`;
      break;
    case 'missing':
      break;
    case 'other':
      headers['soapaction'] = operation.startsWith('pa') ? 'paVerifyPaymentNotice' : 'verifyPaymentNotice';
      break;
    case 'query-control':
      query = '?soapAction=%01%00%EF%BF%BF';
      break;
    case 'garbage':
      headers['soapaction'] = '"<x>&amp;\'"';
      break;
  }
  return { body, headers, query, text: xml };
}
