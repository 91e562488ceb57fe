/**
 * libxml2's node structs read straight from the wasm memory (issue 19): the reader and the
 * envelope walk visit every node of every message, and libxml2-wasm's API makes a JavaScript
 * wrapper object per node visited (XmlElement, XmlText...) and copies each text through malloc.
 * Here a node is its pointer, and its fields are read from the memory.
 *
 * This is the one file that depends on libxml2-wasm's internals: the `_nodePtr` of a wrapper,
 * `XmlNodeSetStruct.nodeTable` (to reach the memory), the layout of `xmlNode` and `xmlNs` in
 * wasm32 (the offsets below, the same libxml2-wasm's own XmlNodeStruct reads) and the wrapper
 * constructor. test/xml/nodeStructs.test.ts compares every field with libxml2-wasm's own
 * accessors over every message example, so an upgrade that moves them fails loudly.
 */
import { XmlElement, type XmlNode } from 'libxml2-wasm';
import { XmlNodeSetStruct } from 'libxml2-wasm/lib/libxml2.mjs';

/** libxml2's node types met in a parsed message (xmlElementType). */
export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;
export const CDATA_SECTION_NODE = 4;

// struct _xmlNode (wasm32): _private 0, type 4, name 8, children 12, last 16, parent 20, next 24,
// prev 28, doc 32, ns 36, content 40, properties 44, nsDef 48, psvi 52, line 56.
const TYPE = 4 >> 2;
const NAME = 8 >> 2;
const CHILDREN = 12 >> 2;
const NEXT = 24 >> 2;
const NS = 36 >> 2;
const CONTENT = 40 >> 2;
const LINE = 56 >> 2;
// struct _xmlNs: next 0, type 4, href 8, prefix 12.
const NS_HREF = 8 >> 2;

let heap32 = new Int32Array(0);
let heap = Buffer.alloc(0);

/**
 * Makes sure the views see the current wasm memory: growing it (a parse or a validation that
 * needs more) detaches the old buffer, whose views then have length 0. Call before each walk
 * (nothing in a walk allocates in the wasm memory).
 */
export function refreshMemory(anyPtr: number): void {
  if (heap32.length !== 0) return;
  const buffer = XmlNodeSetStruct.nodeTable(anyPtr, 0).buffer as ArrayBuffer;
  heap32 = new Int32Array(buffer);
  heap = Buffer.from(buffer);
}

/** The pointer of a libxml2-wasm node. */
export function pointerOf(node: XmlNode): number {
  return (node as unknown as { _nodePtr: number })._nodePtr;
}

/** libxml2-wasm's wrapper of an element pointer (for the API that wants one: validation). */
export function elementAt(ptr: number): XmlElement {
  return new (XmlElement as unknown as new (p: number) => XmlElement)(ptr);
}

export const nodeType = (p: number): number => heap32[(p >> 2) + TYPE]!;
export const firstChild = (p: number): number => heap32[(p >> 2) + CHILDREN]! | 0; // (| 0: a stale view gives 0, never undefined)
export const nextNode = (p: number): number => heap32[(p >> 2) + NEXT]! | 0;
export const nodeLine = (p: number): number => heap32[(p >> 2) + LINE]!;

/** The NUL-terminated UTF-8 string at `s` ('' for a null pointer). */
function cString(s: number): string {
  if (s === 0) return '';
  let e = s;
  let ascii = true;
  // Bounded by the memory's end: a stale view (length 0) reads nothing instead of looping.
  for (const end = heap.length; e < end; e++) {
    const b = heap[e]!;
    if (b === 0) break;
    if (b >= 0x80) ascii = false;
  }
  return heap.toString(ascii ? 'latin1' : 'utf8', s, e);
}

/** The local name of an element (libxml2 keeps the prefix apart). */
export const nodeName = (p: number): string => cString(heap32[(p >> 2) + NAME]!);

/** The namespace URI of an element ('' when in no namespace). */
export function nodeNamespace(p: number): string {
  const ns = heap32[(p >> 2) + NS]!;
  return ns === 0 ? '' : cString(heap32[(ns >> 2) + NS_HREF]!);
}

/** The content of a text or CDATA node, as libxml2 decoded it. */
export const nodeContent = (p: number): string => cString(heap32[(p >> 2) + CONTENT]!);

/**
 * Whether the content of a text or CDATA node is blank for String.prototype.trim (only the
 * ASCII whitespace of XML, or nothing), read from its bytes without making a string. Content
 * with other characters is decoded and trimmed, so U+00A0 and the like count as trim says.
 */
export function contentIsBlank(p: number): boolean {
  const s = heap32[(p >> 2) + CONTENT]!;
  if (s === 0) return true;
  for (let e = s; e < heap.length; e++) {
    const b = heap[e]!;
    if (b === 0) return true;
    if (b >= 0x80) return nodeContent(p).trim() === '';
    if (b !== 0x20 && b !== 0x0a && b !== 0x09 && b !== 0x0d) return false; // (XML has no other ASCII whitespace)
  }
  return true;
}

/** The element children of the element at `p`, as pointers (the memory views refreshed first). */
export function elementChildPointers(p: number): number[] {
  refreshMemory(p);
  const out: number[] = [];
  for (let c = firstChild(p); c !== 0; c = nextNode(c)) if (nodeType(c) === ELEMENT_NODE) out.push(c);
  return out;
}

/** Namespace URI and local name of the element at `p`. */
export function qnameAt(p: number): { ns: string; local: string } {
  return { ns: nodeNamespace(p), local: nodeName(p) };
}
