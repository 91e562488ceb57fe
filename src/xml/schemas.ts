/**
 * The official pagoPA schemas, compiled once per process.
 *
 * The files under xsd/ are byte-identical copies of pagopa-api; their imports use the
 * upstream relative layout (`../../xsd-common/...` from `wsdl/xsd/`). We register the
 * files with libxml2 under virtual names that reproduce that layout, so every
 * schemaLocation resolves to our own bytes and nothing is ever read from disk paths
 * named in a schema or from the network.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { XmlBufferInputProvider, XmlDocument, XsdValidator, xmlRegisterInputProvider, ParseOption } from 'libxml2-wasm';
import { XSD_DIR } from '../paths.ts';

export const NS = {
  soap11: 'http://schemas.xmlsoap.org/soap/envelope/',
  soap12: 'http://www.w3.org/2003/05/soap-envelope',
  paForNode: 'http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd',
  nodeForPsp: 'http://pagopa-api.pagopa.gov.it/node/nodeForPsp.xsd',
  pspForNode: 'http://pagopa-api.pagopa.gov.it/psp/pspForNode.xsd',
  ppt: 'http://ws.pagamenti.telematici.gov/',
  common: 'http://pagopa-api.pagopa.gov.it/xsd/common-types/v1.0.0/',
} as const;

/** The interface schemas we validate messages against (file name under xsd/). */
export const INTERFACE_XSDS = ['paForNode.xsd', 'nodeForPsp.xsd', 'nodoPerPsp.xsd', 'nodeForPa.xsd', 'pspForNode.xsd'] as const;
export type InterfaceXsd = (typeof INTERFACE_XSDS)[number];

const VIRTUAL_IFACE = 'pagopa-api/wsdl/xsd/';
const VIRTUAL_COMMON = 'pagopa-api/xsd-common/';

export interface SchemaEntry {
  file: InterfaceXsd;
  targetNamespace: string;
  validator: XsdValidator;
  /** Global element local names declared by this schema. */
  elements: Set<string>;
}

export interface SchemaSet {
  entries: SchemaEntry[];
  /** `{ns}local` → entry */
  byQName: Map<string, SchemaEntry>;
  compileMs: number;
}

let cached: SchemaSet | undefined;
let providerRegistered = false;

/** Every schema file of the project, keyed by its virtual (upstream-layout) name. */
export function schemaBuffers(): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  for (const f of readdirSync(XSD_DIR)) if (f.endsWith('.xsd')) files[VIRTUAL_IFACE + f] = readFileSync(join(XSD_DIR, f));
  const common = join(XSD_DIR, 'xsd-common');
  for (const f of readdirSync(common)) if (f.endsWith('.xsd')) files[VIRTUAL_COMMON + f] = readFileSync(join(common, f));
  return files;
}

export const qname = (ns: string, local: string): string => `{${ns}}${local}`;

/** Compiles (once) and returns the schema set. Throws only if the shipped schemas are broken. */
export function loadSchemas(): SchemaSet {
  if (cached) return cached;
  const started = performance.now();
  const files = schemaBuffers();
  if (!providerRegistered) {
    // Only our own buffers can be opened by the schema compiler; anything else fails to load.
    xmlRegisterInputProvider(new XmlBufferInputProvider(files));
    providerRegistered = true;
  }
  const entries: SchemaEntry[] = [];
  const byQName = new Map<string, SchemaEntry>();
  for (const file of INTERFACE_XSDS) {
    const url = VIRTUAL_IFACE + file;
    const doc = XmlDocument.fromBuffer(files[url]!, { url, option: ParseOption.XML_PARSE_NONET });
    try {
      const targetNamespace = String(doc.eval('string(/*/@targetNamespace)'));
      const elements = new Set<string>();
      for (const n of doc.find('/xs:schema/xs:element/@name', { xs: 'http://www.w3.org/2001/XMLSchema' })) {
        elements.add(n.content);
      }
      const validator = XsdValidator.fromDoc(doc);
      const entry: SchemaEntry = { file, targetNamespace, validator, elements };
      entries.push(entry);
      for (const el of elements) byQName.set(qname(targetNamespace, el), entry);
    } finally {
      doc.dispose();
    }
  }
  cached = { entries, byQName, compileMs: performance.now() - started };
  return cached;
}
