/**
 * The domain reference lives in the repository (issue 17 item 6): no file cites a document outside it
 * (`../shared/...`, or a bare `primitives.md` that only exists next to the clone), and every citation
 * `docs/<file>.md §N` names a file of docs/ and a section that file has.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import { PROJECT_ROOT } from '../../src/paths.ts';

const SKIP_DIRS = new Set(['.git', 'node_modules', 'dist', 'reports']);
const TEXT = /\.(ts|js|cjs|mjs|md|ya?ml|json|css|html)$/;
/** Data copied from elsewhere, byte for byte: not ours to edit. */
const DATA = ['wsdl/', 'xsd/', 'test/fixtures/pagopa-samples/', 'test/fixtures/junit-schemas/', 'package-lock.json'];

function textFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP_DIRS.has(name)) return [];
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return textFiles(p);
    const rel = relative(PROJECT_ROOT, p).split('\\').join('/');
    return (TEXT.test(name) || rel === '.ci/run') && !DATA.some((d) => rel.startsWith(d)) ? [rel] : [];
  });
}

/** Section numbers of a markdown file: `## 10. Title` → 10, `### 10.1 Title` → 10.1. */
function sectionsOf(file: string): Set<string> {
  const out = new Set<string>();
  for (const m of readFileSync(file, 'utf8').matchAll(/^#{2,4} (\d+(?:\.\d+)*)\.? /gm)) out.add(m[1]!);
  return out;
}

/** A cited section exists, or its parent does and the citation names an item of it (§17.9: item 9 of §17's list). */
function resolves(sections: Set<string>, ref: string): boolean {
  if (sections.has(ref)) return true;
  const parent = ref.split('.').slice(0, -1).join('.');
  return parent !== '' && sections.has(parent) && !ref.slice(parent.length + 1).includes('.');
}

/** Problems of one file's text: references outside the repository, citations that do not resolve. */
function referenceProblems(rel: string, text: string, docsDir: string): string[] {
  const problems: string[] = [];
  const at = (index: number) => `${rel}:${text.slice(0, index).split('\n').length}`;
  for (const m of text.matchAll(/\.\.\/shared\/|\bshared\/(?:docs|pagopa-api|junit-schemas)\//g))
    problems.push(`${at(m.index)}: '${m[0]}' is outside the repository; cite docs/ (or copy the data in, with its provenance)`);
  for (const m of text.matchAll(/(?<![\w/.-])(primitives|send|aca-standin|style|sources)\.md\b/g)) {
    // inside docs/ a sibling is named as such (a markdown link between the pages)
    if (rel.startsWith('docs/') && existsSync(join(docsDir, m[0]))) continue;
    problems.push(`${at(m.index)}: '${m[0]}' names no file of the repository; write docs/${m[0]}`);
  }
  for (const m of text.matchAll(/\bdocs\/([\w-]+)\.md`?((?:,?\s*(?:and\s+)?§[\d.]+(?:-[\d.]+)?)*)/g)) {
    const file = join(docsDir, `${m[1]}.md`);
    if (!existsSync(file)) {
      problems.push(`${at(m.index)}: docs/${m[1]}.md does not exist`);
      continue;
    }
    const sections = sectionsOf(file);
    for (const r of m[2]!.matchAll(/§([\d.]+)(?:-([\d.]+))?/g)) {
      const from = r[1]!.replace(/\.+$/, '');
      const to = r[2]?.replace(/\.+$/, '');
      // §3-4 and §5.5-5.7 name both ends; §17.20-23 names items of one section.
      const ends = to === undefined ? [from] : to.includes('.') || !from.includes('.') ? [from, to] : [from];
      for (const ref of ends) if (!resolves(sections, ref)) problems.push(`${at(m.index)}: docs/${m[1]}.md has no §${ref}`);
    }
  }
  return problems;
}

describe('docs: the domain reference is in the repository (issue 17 item 6)', () => {
  const docs = join(PROJECT_ROOT, 'docs');

  it('no file cites a document outside the repository, and every docs/ citation names an existing section', () => {
    // this file is left out: it spells out the references the check refuses
    const files = textFiles(PROJECT_ROOT).filter((rel) => rel !== 'test/docs/references.test.ts');
    expect(files.length).to.be.greaterThan(300);
    const problems = files.flatMap((rel) => referenceProblems(rel, readFileSync(join(PROJECT_ROOT, rel), 'utf8'), docs));
    expect(problems).to.deep.equal([]);
  });

  it('the code cites the reference: docs/primitives.md, docs/send.md and docs/aca-standin.md are each cited from src/', () => {
    const src = textFiles(join(PROJECT_ROOT, 'src'))
      .map((rel) => readFileSync(join(PROJECT_ROOT, rel), 'utf8'))
      .join('\n');
    for (const doc of ['primitives', 'send', 'aca-standin']) expect(src, doc).to.match(new RegExp(`docs/${doc}\\.md §`));
  });

  it('the check fails on a reference outside the repository, a bare document name, a missing file or section', () => {
    const text = [
      'see ../shared/docs/primitives.md for the rules',
      'the receipt rules (primitives.md §10.1)',
      'docs/nowhere.md §1',
      'docs/primitives.md §10.1, §99',
      'docs/primitives.md §17.20-23 and docs/primitives.md §5.5-5.7 and docs/send.md §7.4',
    ].join('\n');
    const problems = referenceProblems('x.ts', text, docs);
    expect(problems).to.deep.equal([
      "x.ts:1: '../shared/' is outside the repository; cite docs/ (or copy the data in, with its provenance)",
      "x.ts:2: 'primitives.md' names no file of the repository; write docs/primitives.md",
      'x.ts:3: docs/nowhere.md does not exist',
      'x.ts:4: docs/primitives.md has no §99',
    ]);
  });
});
