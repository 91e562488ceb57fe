/**
 * Validation of whole XML documents that travel inside messages (base64 fields), against a
 * schema of their own: the digital stamp (MarcaDaBollo.xsd with the XML-DSig schema it imports),
 * the service catalogue (CatalogoServizi_2_0_0.xsd), and the service-specific data of a
 * spontaneous payment (an XSD declared with the service, read from the user's configuration).
 * Parsing is the hardened one (no DTD, no network); issues carry path, line and col within the
 * decoded document. Issues are returned, never thrown.
 */
import { ParseOption, XmlDocument, XmlValidateError, XsdValidator } from 'libxml2-wasm';
import { issue, type Issue } from './issue.ts';
import { indexStartTags, locateXPath } from './locate.ts';
import { checkForbiddenConstructs, parseXml } from './parse.ts';
import { elementQName } from './validate.ts';
import { loadSchemas, schemaBuffers } from './schemas.ts';

export const DOC_NS = {
  marcaDaBollo: 'http://www.agenziaentrate.gov.it/2014/MarcaDaBollo',
  xmldsig: 'http://www.w3.org/2000/09/xmldsig#',
  catalogoServizi: 'http://pagopa-api.pagopa.gov.it/nodeForPsp/xsd/CatalogoServizi',
} as const;

/** A compiled document schema and the root element it expects. */
export interface DocumentSchema {
  /** Name used in messages, e.g. `MarcaDaBollo.xsd`. */
  name: string;
  validator: XsdValidator;
  /** Global elements declared by the schema (`{ns}local`): the roots a document may have. */
  roots: Set<string>;
  targetNamespace: string;
}

const shipped = new Map<string, DocumentSchema>();

function compile(name: string, buffer: Uint8Array, url: string): DocumentSchema {
  const doc = XmlDocument.fromBuffer(buffer, { url, option: ParseOption.XML_PARSE_NONET });
  try {
    const targetNamespace = String(doc.eval('string(/*/@targetNamespace)'));
    const roots = new Set<string>();
    for (const n of doc.find('/xs:schema/xs:element/@name', { xs: 'http://www.w3.org/2001/XMLSchema' })) roots.add(`{${targetNamespace}}${n.content}`);
    return { name, validator: XsdValidator.fromDoc(doc), roots, targetNamespace };
  } finally {
    doc.dispose();
  }
}

/** One of the official document schemas under xsd/xsd-common/, compiled once. Throws only if the shipped files are broken. */
export function shippedDocumentSchema(file: 'MarcaDaBollo.xsd' | 'CatalogoServizi_2_0_0.xsd'): DocumentSchema {
  let s = shipped.get(file);
  if (s) return s;
  loadSchemas(); // registers the in-memory input provider the imports resolve through
  const files = schemaBuffers();
  const url = Object.keys(files).find((k) => k.endsWith(`/xsd-common/${file}`));
  if (!url) throw new Error(`shipped schema ${file} is missing from xsd/xsd-common`);
  s = compile(file, files[url]!, url);
  shipped.set(file, s);
  return s;
}

/**
 * Compiles an XSD given as text (a service's own schema). It must be self-contained: imports
 * and includes of other files are not resolved. Returns issues instead of throwing.
 */
export function compileDocumentSchema(text: string, name: string): { ok: true; schema: DocumentSchema } | { ok: false; issues: Issue[] } {
  const forbidden = checkForbiddenConstructs(text);
  if (forbidden.length) return { ok: false, issues: forbidden.map((i) => ({ ...i, source: name })) };
  try {
    return { ok: true, schema: compile(name, new TextEncoder().encode(text), `service-schemas/${name}`) };
  } catch (e) {
    const detail = e instanceof Error ? e.message.trim() : String(e);
    return {
      ok: false,
      issues: [
        issue('XSD_COMPILE', `Failed to compile the schema ${name}: ${detail}. Give a self-contained, valid XSD (imports of other files are not resolved).`, {
          source: name,
        }),
      ],
    };
  }
}

const fromText = new Map<string, DocumentSchema>();

/** compileDocumentSchema, compiled once per distinct text (service XSDs are loaded with every positions file). */
export function documentSchemaFromText(text: string, name: string): { ok: true; schema: DocumentSchema } | { ok: false; issues: Issue[] } {
  const cached = fromText.get(text);
  if (cached) return { ok: true, schema: cached };
  const r = compileDocumentSchema(text, name);
  if (r.ok) fromText.set(text, r.schema);
  return r;
}

/**
 * Validates a whole document against `schema`: well-formed (hardened parse), root element
 * declared by the schema, content valid. Lines and columns are those of `text`.
 */
export function validateDocument(text: string, schema: DocumentSchema, source = schema.name): Issue[] {
  const parsed = parseXml(text, { maxBytes: 1024 * 1024 });
  if (!parsed.ok) return parsed.issues.map((i) => ({ ...i, source }));
  const { doc, root } = parsed.value;
  try {
    const { ns, local } = elementQName(root);
    if (!schema.roots.has(`{${ns}}${local}`)) {
      const expected = [...schema.roots].join(', ');
      return [
        issue('XSD_UNKNOWN_ELEMENT', `The root element is {${ns}}${local}; ${schema.name} expects ${expected}`, {
          path: `/${root.name}`,
          line: root.line,
          col: 1,
          source,
        }),
      ];
    }
    try {
      schema.validator.validate(doc);
      return [];
    } catch (e) {
      if (!(e instanceof XmlValidateError)) throw e;
      const tags = indexStartTags(text);
      return e.details.map((d) => {
        const at = locateXPath(tags, d.xpath);
        return issue('XSD_INVALID', d.message.trim(), { path: at?.path ?? d.xpath ?? `/${root.name}`, line: at?.line ?? d.line, col: at?.col ?? 1, source });
      });
    }
  } finally {
    doc.dispose();
  }
}

/** Decodes a base64Binary field (already XSD-valid) to text; undefined when it is not base64. */
export function decodeBase64Document(b64: string): string | undefined {
  const clean = b64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) return undefined;
  return new TextDecoder('utf-8').decode(Buffer.from(clean, 'base64'));
}
