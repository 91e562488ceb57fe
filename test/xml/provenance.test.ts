import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import { PROJECT_ROOT } from '../../src/paths.ts';

/** `sha256  path` lines of wsdl/PROVENANCE.md. */
function listed(): Map<string, string> {
  const text = readFileSync(join(PROJECT_ROOT, 'wsdl', 'PROVENANCE.md'), 'utf8');
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^([0-9a-f]{64})\s+(\S+)$/gm)) out.set(m[2]!, m[1]!);
  return out;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [relative(PROJECT_ROOT, p).split('\\').join('/')];
  });
}

describe('xml: provenance of wsdl/ and xsd/', () => {
  const entries = listed();

  it('lists the 4 WSDLs, the 5 interface XSDs and the 12 common XSDs', () => {
    expect([...entries.keys()].filter((p) => p.endsWith('.wsdl'))).to.have.length(4);
    expect([...entries.keys()].filter((p) => /^xsd\/[^/]+\.xsd$/.test(p))).to.have.length(5);
    expect([...entries.keys()].filter((p) => p.startsWith('xsd/xsd-common/'))).to.have.length(12);
  });

  it('every listed file has the recorded SHA-256 (byte-identical copies)', () => {
    const wrong = [...entries].filter(
      ([path, sum]) =>
        createHash('sha256')
          .update(readFileSync(join(PROJECT_ROOT, path)))
          .digest('hex') !== sum,
    );
    expect(wrong.map(([p]) => p)).to.deep.equal([]);
  });

  it('every file under wsdl/ and xsd/ is listed (no unrecorded schema)', () => {
    const present = [...filesUnder(join(PROJECT_ROOT, 'wsdl')), ...filesUnder(join(PROJECT_ROOT, 'xsd'))].filter((p) => p !== 'wsdl/PROVENANCE.md');
    expect(present.filter((p) => !entries.has(p))).to.deep.equal([]);
  });
});
