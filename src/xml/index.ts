/** The door of src/xml/: what other parts import from it. */
export { type BuildObject, type BuildValue, buildXml } from './build.ts';
export { decodeBase64Document, DOC_NS, documentSchemaFromText, shippedDocumentSchema, validateDocument } from './documents.ts';
export { truncateText, xmlAttr, xmlText } from './escape.ts';
export { formatIssue, hasErrors, issue, type Issue } from './issue.ts';
export { findStartTag } from './locate.ts';
export { childElements, elementChildren, decodeBody, DEFAULT_MAX_BYTES, parseXml, withParsed } from './parse.ts';
export { elementAt, elementChildPointers, pointerOf, qnameAt } from './nodeStructs.ts';
export { asArray, elementObject, elementObjectAt, emptyXmlObject, pick, text, type XmlObject } from './read.ts';
export { NS } from './schemas.ts';
export { elementQName, validateElement } from './validate.ts';
