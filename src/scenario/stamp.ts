/**
 * The digital stamp a PSP sends in sendPaymentOutcomeV2 (details/marcheDaBollo/marcaDaBollo/
 * MBDAttachment, docs/primitives.md §6.5, §15): the Agenzia delle Entrate `marcaDaBollo` document
 * (xsd/xsd-common/MarcaDaBollo.xsd, with an XML-DSig Signature), built valid from a few fields,
 * then optionally broken in one named way for negative scenarios (an element removed, emptied,
 * moved, or set to a wrong value; attributes with `path@Attribute`).
 *
 * The Signature is schema-valid but not a real signature (digests are SHA-256 of the stamp's
 * own fields, the signature value and certificate are placeholders): the Nodo validates the
 * document against the XSD (issue 14), it does not verify the signature.
 */
import { createHash } from 'node:crypto';

export const MDB_NS = 'http://www.agenziaentrate.gov.it/2014/MarcaDaBollo';
export const DS_NS = 'http://www.w3.org/2000/09/xmldsig#';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';

export interface StampFields {
  /** PSP/CodiceFiscale: the PSP's fiscal code. */
  codiceFiscale: string;
  /** PSP/Denominazione: the PSP's name. */
  denominazione: string;
  /** IUBD: the stamp's unique identifier (14 characters in practice). */
  iubd: string;
  /** OraAcquisto (xsd:dateTime). */
  oraAcquisto: string;
  /** Importo, two decimals (e.g. 16.00). */
  importo: string;
  /** ImprontaDocumento/DigestValue: base64 SHA-256 of the stamped document (= richiestaMarcaDaBollo/hashDocumento). */
  hashDocumento: string;
}

/** One breakage of the document, for negative scenarios. Paths are dotted local names below marcaDaBollo. */
export type StampBreak =
  | { remove: string }
  | { empty: string }
  | { set: string; value: string }
  | { move: string; after: string }
  | { move: string; before: string };

interface Node {
  /** Prefixed name (mdb:PSP, ds:Signature). */
  name: string;
  attrs: [string, string][];
  children: Node[];
  text?: string;
}

const el = (name: string, content: Node[] | string = [], attrs: [string, string][] = []): Node =>
  typeof content === 'string' ? { name, attrs, children: [], text: content } : { name, attrs, children: content };
const mdb = (local: string, content: Node[] | string = [], attrs: [string, string][] = []) => el(`mdb:${local}`, content, attrs);
const ds = (local: string, content: Node[] | string = [], attrs: [string, string][] = []) => el(`ds:${local}`, content, attrs);
const b64sha = (s: string) => createHash('sha256').update(s).digest('base64');

function tree(f: StampFields): Node {
  const content = [f.codiceFiscale, f.denominazione, f.iubd, f.oraAcquisto, f.importo, f.hashDocumento].join('|');
  return mdb(
    'marcaDaBollo',
    [
      mdb('PSP', [mdb('CodiceFiscale', f.codiceFiscale), mdb('Denominazione', f.denominazione)]),
      mdb('IUBD', f.iubd),
      mdb('OraAcquisto', f.oraAcquisto),
      mdb('Importo', f.importo),
      mdb('TipoBollo', '01'),
      mdb('ImprontaDocumento', [mdb('DigestMethod', [], [['Algorithm', SHA256]]), ds('DigestValue', f.hashDocumento)]),
      ds('Signature', [
        ds('SignedInfo', [
          ds('CanonicalizationMethod', [], [['Algorithm', 'http://www.w3.org/2001/10/xml-exc-c14n#']]),
          ds('SignatureMethod', [], [['Algorithm', 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256']]),
          ds(
            'Reference',
            [
              ds('Transforms', [ds('Transform', [], [['Algorithm', 'http://www.w3.org/2000/09/xmldsig#enveloped-signature']])]),
              ds('DigestMethod', [], [['Algorithm', SHA256]]),
              ds('DigestValue', b64sha(content)),
            ],
            [['URI', '']],
          ),
        ]),
        ds('SignatureValue', createHash('sha512').update(`signature|${content}`).digest('base64')),
        ds('KeyInfo', [ds('X509Data', [ds('X509Certificate', b64sha(`certificate|${f.codiceFiscale}`))])]),
      ]),
    ],
    [
      ['xmlns:mdb', MDB_NS],
      ['xmlns:ds', DS_NS],
    ],
  );
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function serialise(n: Node, indent = ''): string {
  const attrs = n.attrs.map(([k, v]) => ` ${k}="${esc(v)}"`).join('');
  if (n.text !== undefined) return `${indent}<${n.name}${attrs}>${esc(n.text)}</${n.name}>`;
  if (!n.children.length) return `${indent}<${n.name}${attrs}/>`;
  return `${indent}<${n.name}${attrs}>\n${n.children.map((c) => serialise(c, `${indent}  `)).join('\n')}\n${indent}</${n.name}>`;
}

const local = (n: Node) => n.name.replace(/^.*:/, '');

/** The parent and index of the element at a dotted path (local names), or why there is none. */
function find(root: Node, path: string): { parent: Node; index: number } | string {
  const segs = path.split('.').filter(Boolean);
  if (!segs.length) return 'empty path';
  let parent = root;
  for (let i = 0; i < segs.length; i++) {
    const index = parent.children.findIndex((c) => local(c) === segs[i]);
    if (index < 0) return `no element '${segs[i]}' under '${local(parent)}' (path ${path})`;
    if (i === segs.length - 1) return { parent, index };
    parent = parent.children[index]!;
  }
  return `path ${path} not found`;
}

/** Applies one breakage; returns why it cannot be applied. */
function breakTree(root: Node, b: StampBreak): string | undefined {
  const [key] = Object.keys(b) as (keyof StampBreak)[];
  const target = (b as Record<string, string>)[key as string]!;
  const [path, attr] = target.split('@') as [string, string | undefined];
  const at = find(root, path);
  if (typeof at === 'string') return at;
  const node = at.parent.children[at.index]!;
  if (attr !== undefined) {
    const i = node.attrs.findIndex(([k]) => k === attr);
    if ('remove' in b) {
      if (i < 0) return `${path} has no attribute ${attr}`;
      node.attrs.splice(i, 1);
    } else if ('empty' in b || 'set' in b) {
      const v = 'set' in b ? b.value : '';
      if (i < 0) node.attrs.push([attr, v]);
      else node.attrs[i] = [attr, v];
    } else return 'move works on elements, not attributes';
    return undefined;
  }
  if ('remove' in b) at.parent.children.splice(at.index, 1);
  else if ('empty' in b) {
    node.children = [];
    node.text = '';
  } else if ('set' in b) {
    node.children = [];
    node.text = b.value;
  } else {
    const anchorPath = 'after' in b ? b.after : b.before;
    at.parent.children.splice(at.index, 1);
    const anchor = find(root, anchorPath);
    if (typeof anchor === 'string') return anchor;
    anchor.parent.children.splice(anchor.index + ('after' in b ? 1 : 0), 0, node);
  }
  return undefined;
}

export type StampDocument = { ok: true; xml: string; base64: string } | { ok: false; why: string };

/** The stamp document (valid, or with one breakage) as XML text and as the base64 MBDAttachment. */
export function stampDocument(fields: StampFields, breakage?: StampBreak): StampDocument {
  const root = tree(fields);
  if (breakage) {
    const why = breakTree(root, breakage);
    if (why)
      return {
        ok: false,
        why: `Failed to break the stamp: ${why}. Paths are dotted element names below marcaDaBollo, e.g. PSP.CodiceFiscale or Signature.SignedInfo.Reference.DigestValue (attributes: ImprontaDocumento.DigestMethod@Algorithm).`,
      };
  }
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n${serialise(root)}\n`;
  return { ok: true, xml, base64: Buffer.from(xml, 'utf8').toString('base64') };
}
