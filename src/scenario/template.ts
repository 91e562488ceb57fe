/**
 * Captures: `${name.path}` in step parameters reads the response of the step named
 * `name` (xml/read.ts `pick` path). A string that is exactly one reference keeps the
 * captured value's type; otherwise references are replaced by their text.
 */
import { pick } from '../xml/index.ts';

const REF = /\$\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_-]+)*)\}/g;

/** Every `${...}` reference in a value (strings inside objects and arrays included). */
export function captureRefs(v: unknown): string[] {
  if (typeof v === 'string') return [...v.matchAll(REF)].map((m) => m[1]!);
  if (Array.isArray(v)) return v.flatMap(captureRefs);
  if (v && typeof v === 'object') return Object.values(v).flatMap(captureRefs);
  return [];
}

export type Lookup = (root: string) => unknown;

function read(ref: string, lookup: Lookup): unknown {
  const [root, ...rest] = ref.split('.');
  const base = lookup(root!);
  return rest.length ? pick(base, rest.join('.')) : base;
}

/** Substitutes references; a missing value becomes '' and is reported through `missing`. */
export function substitute<T>(v: T, lookup: Lookup, missing: (ref: string) => void = () => {}): T {
  if (typeof v === 'string') {
    const whole = /^\$\{([^}]+)\}$/.exec(v);
    if (whole) {
      const val = read(whole[1]!, lookup);
      if (val === undefined) missing(whole[1]!);
      return (val === undefined ? '' : typeof val === 'object' ? val : String(val)) as T;
    }
    return v.replace(REF, (_m, ref: string) => {
      const val = read(ref, lookup);
      if (val === undefined) missing(ref);
      return val === undefined ? '' : typeof val === 'object' ? JSON.stringify(val) : String(val);
    }) as T;
  }
  if (Array.isArray(v)) return v.map((x) => substitute(x, lookup, missing)) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substitute(x, lookup, missing)])) as T;
  return v;
}
