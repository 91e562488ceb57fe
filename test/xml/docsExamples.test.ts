/**
 * The example messages of docs/primitives.md §18 are valid against our XSDs: the reference cannot show a
 * message the harness would refuse.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { PROJECT_ROOT } from '../../src/paths.ts';
import { unwrap } from '../../src/soap/envelope.ts';

describe('xml: the example messages of docs/primitives.md', () => {
  const text = readFileSync(join(PROJECT_ROOT, 'docs/primitives.md'), 'utf8');
  const examples = [...text.matchAll(/```xml\n([\s\S]*?)```/g)].map((m) => m[1]!);

  it('has examples to check', () => {
    expect(examples.length).to.be.greaterThanOrEqual(3);
  });

  it('every example validates against the XSDs', () => {
    const bad = examples.flatMap((xml) => {
      const r = unwrap(xml, { allowBare: true });
      const root = /<([\w:]+)/.exec(xml)?.[1];
      if (!r.ok) return [`${root}: ${r.problem.message}`];
      return r.message.issues.map((i) => `${root}: ${i.path} ${i.line}:${i.col} ${i.message}`);
    });
    expect(bad).to.deep.equal([]);
  });
});
