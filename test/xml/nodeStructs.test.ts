/**
 * src/xml/nodeStructs.ts reads libxml2's node structs from the wasm memory instead of going
 * through libxml2-wasm's wrappers (issue 19). These tests pin it to libxml2-wasm's own API: every
 * field of every node of every message fixture, the reader built on it against the reader
 * written over the wrappers (test/support/wrapperReader.ts) on the fixtures and on generated
 * documents, and the wasm memory growing between two reads. An upgrade of libxml2-wasm that
 * moves a field or the memory makes them fail.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XmlCData, XmlComment, XmlDocument, XmlElement, XmlText, type XmlNode } from 'libxml2-wasm';
import { XmlNodeSetStruct } from 'libxml2-wasm/lib/libxml2.mjs';
import { unwrap } from '../../src/soap/envelope.ts';
import {
  contentIsBlank,
  elementAt,
  firstChild,
  nextNode,
  nodeContent,
  nodeLine,
  nodeName,
  nodeNamespace,
  nodeType,
  pointerOf,
  refreshMemory,
} from '../../src/xml/nodeStructs.ts';
import { nextSibling, parseXml } from '../../src/xml/parse.ts';
import { elementValue } from '../../src/xml/read.ts';
import { PAGOPA_SAMPLES, XML_FIXTURES } from '../support/fixtures.ts';
import { wrapperElementValue } from '../support/wrapperReader.ts';

function xmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.xml'))
    .map((e) => join(e.parentPath, e.name));
}

/** Every construct the reader meets: namespaces (prefixed, default, undeclared), CDATA, comments, PIs, references, non-ASCII, blank and non-breaking space. */
const HANDMADE = `<?xml version="1.0" encoding="UTF-8"?>
<?pi before?>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:p="urn:p">
  <!-- a comment -->
  <s:Header><h>x</h></s:Header>
  <s:Body>
    <p:m>
      <a>caf&#233; &amp; &lt;b&gt; \u20ac \u{1F600}</a>
      <b><![CDATA[<not markup> & ]]>tail<?pi inside?>more<!-- c -->end</b>
      <c xmlns="urn:default"><d>  </d><d>\u00a0</d><e/></c>
      mixed text
      <transfer><x>1</x></transfer>
      <paymentTokens><paymentToken>t1</paymentToken></paymentTokens>
      <f>\u00a0<g/>\u00a0</f>
      <constructor>k</constructor><__proto__>p</__proto__>
      <r>${'a'.repeat(40)}\u00e8${'b'.repeat(40)}</r>
    </p:m>
  </s:Body>
</s:Envelope>`;

const documents: Array<[string, string]> = [
  ['handmade', HANDMADE],
  ...[...xmlFiles(XML_FIXTURES), ...xmlFiles(PAGOPA_SAMPLES)].map((f): [string, string] => [f.slice(f.indexOf('fixtures')), readFileSync(f, 'utf8')]),
];

const typeOf = (n: XmlNode): number => (n instanceof XmlElement ? 1 : n instanceof XmlText ? 3 : n instanceof XmlCData ? 4 : n instanceof XmlComment ? 8 : 7);
const ptr = (n: XmlNode | null): number => (n ? pointerOf(n) : 0);

/** Compares every node under `el` field by field with libxml2-wasm's API; returns the number of nodes seen. */
function compareTree(el: XmlElement): number {
  const p = pointerOf(el);
  expect(nodeType(p)).to.equal(1);
  expect(nodeName(p), 'name').to.equal(el.name);
  expect(nodeNamespace(p), `namespace of ${el.name}`).to.equal(el.namespaceUri);
  expect(nodeLine(p), `line of ${el.name}`).to.equal(el.line);
  expect(firstChild(p), `first child of ${el.name}`).to.equal(ptr(el.firstChild));
  let seen = 1;
  for (let c: XmlNode | null = el.firstChild; c; c = nextSibling(c)) {
    const cp = pointerOf(c);
    expect(nodeType(cp), `type of a child of ${el.name}`).to.equal(typeOf(c));
    expect(nextNode(cp), `next of a child of ${el.name}`).to.equal(ptr(nextSibling(c)));
    if (c instanceof XmlElement) seen += compareTree(c);
    else {
      seen++;
      if (c instanceof XmlText || c instanceof XmlCData) {
        expect(nodeContent(cp), `text in ${el.name}`).to.equal(c.content);
        expect(contentIsBlank(cp), `blankness of ${JSON.stringify(c.content)}`).to.equal(c.content.trim() === '');
      }
    }
  }
  return seen;
}

function parsed(text: string) {
  const r = parseXml(text);
  if (!r.ok) throw new Error(`fixture does not parse: ${r.issues[0]!.message}`);
  return r.value;
}

describe('xml: libxml2 node structs read from the wasm memory (issue 19)', () => {
  it('every field of every node of every fixture equals what libxml2-wasm reads', () => {
    let nodes = 0;
    for (const [name, text] of documents) {
      const p = parseXml(text);
      if (!p.ok) continue; // a fixture that is not well-formed has no tree
      try {
        refreshMemory(pointerOf(p.value.root));
        nodes += compareTree(p.value.root);
        expect(pointerOf(elementAt(pointerOf(p.value.root)).firstChild!), name).to.equal(firstChild(pointerOf(p.value.root)));
      } finally {
        p.value.doc.dispose();
      }
    }
    expect(documents.length).to.be.greaterThan(60);
    expect(nodes).to.be.greaterThan(3000);
  });

  it('the reader gives the same objects as the reader over the wrappers, on every fixture', () => {
    for (const [name, text] of documents) {
      const p = parseXml(text);
      if (!p.ok) continue;
      try {
        expect(elementValue(p.value.root), name).to.deep.equal(wrapperElementValue(p.value.root));
      } finally {
        p.value.doc.dispose();
      }
    }
    const hand = parsed(HANDMADE);
    try {
      const v = elementValue(hand.root) as Record<string, Record<string, Record<string, Record<string, unknown>>>>;
      const m = v['Body']!['m']!;
      expect(m['a']).to.equal('café & <b> € \u{1F600}');
      expect(m['b']).to.equal('<not markup> & tailmoreend');
      expect(m['c']).to.deep.equal({ d: ['  ', '\u00a0'], e: '' });
      expect(m['#text']).to.match(/^\s+mixed text\s+$/);
      expect(m['f']).to.deep.equal({ g: '' }); // U+00A0 is blank for trim: no #text
      expect(m['r']).to.equal(`${'a'.repeat(40)}è${'b'.repeat(40)}`);
    } finally {
      hand.doc.dispose();
    }
  });

  it('the reader sees the memory after libxml2 grew it between two reads', () => {
    const first = parsed(HANDMADE);
    try {
      const before = wrapperElementValue(first.root);
      expect(elementValue(first.root)).to.deep.equal(before);
      const root = pointerOf(first.root);
      const size = () => XmlNodeSetStruct.nodeTable(root, 0).buffer.byteLength;
      const was = size();
      // Documents kept open until libxml2 needs more memory than there is: it grows the memory and
      // detaches the old buffer. Each is about 20 MB of tree; the memory is at most 4 GB (wasm32).
      const big: XmlDocument[] = [];
      try {
        while (size() === was && big.length < 200) big.push(XmlDocument.fromString(`<big>${'<x>y</x>'.repeat(150_000)}</big>`));
        expect(size()).to.be.greaterThan(was);
        expect(elementValue(first.root)).to.deep.equal(before);
        const last = big[big.length - 1]!;
        expect((elementValue(last.root) as Record<string, string[]>)['x']!.length).to.equal(150_000);
      } finally {
        for (const d of big) d.dispose();
      }
    } finally {
      first.doc.dispose();
    }
  });

  it('generated documents: the same objects as the reader over the wrappers', () => {
    const name = fc.constantFrom('a', 'b', 'transfer', 'paymentToken', 'paymentTokens', 'constructor', 'x');
    const chars = fc.constantFrom(' ', '\n', '\t', 'a', 'Z', '0', '&amp;', '&lt;', '&#233;', '&#x1F600;', 'è', '\u00a0', '\u2028', '€', '"');
    const text = fc.array(chars, { maxLength: 6 }).map((a) => a.join(''));
    const leaf = fc.oneof(
      text,
      text.map((t) => `<![CDATA[${t.replace(/&[^;]*;/g, '&')}]]>`),
      fc.constant('<!-- c -->'),
      fc.constant('<?pi x?>'),
    );
    const { tree } = fc.letrec((tie) => ({
      tree: fc.tuple(name, fc.array(fc.oneof({ depthSize: 'small' }, leaf, tie('tree')), { maxLength: 5 })).map(([n, kids]) => `<${n}>${kids.join('')}</${n}>`),
    }));
    fc.assert(
      fc.property(tree, (xml) => {
        const p = parsed(`<root xmlns="urn:g">${xml}</root>`);
        try {
          expect(elementValue(p.root)).to.deep.equal(wrapperElementValue(p.root));
        } finally {
          p.doc.dispose();
        }
      }),
      { seed: 19, numRuns: 300 },
    );
  });

  it('unwrap reads the Body child and the Header of every fixture envelope as the wrapper reader does', () => {
    let read = 0;
    for (const [name, text] of documents) {
      const r = unwrap(text);
      if (!r.ok) continue;
      const p = parsed(text);
      try {
        const body = [...p.root.find('/*/*[local-name()="Body"]/*')][0] as XmlElement;
        const header = [...p.root.find('/*/*[local-name()="Header"]')][0] as XmlElement | undefined;
        expect(r.message.bodyChild.value, name).to.deep.equal(wrapperElementValue(body));
        expect(r.message.bodyChild.line, name).to.equal(body.line);
        if (header) expect(r.message.header, name).to.deep.equal(wrapperElementValue(header) || {});
        read++;
      } finally {
        p.doc.dispose();
      }
    }
    expect(read).to.be.greaterThan(30);
  });
});
