/**
 * `npx tsx bench/parseOnce.ts --old <checkout>`: the speed of reading a message before and
 * after parse-once (issue 18 item 3), A/B in one process. <checkout> is a copy of an older
 * commit of this repository (e.g. `git archive fd553ac | tar -x -C <old-checkout>`, with its
 * node_modules linked to this one's); its unwrap/wrap/buildXml and this one's alternate in
 * batches of 250, so a change of machine load hits both alike. Prints each side's rate and
 * new/old as a ratio measured in the same run:
 *
 * - unwrap, issues only: parse + envelope + XSD (what checking our own answers costs);
 * - unwrap + read value: the same plus the Body child as an object (what every handler needs);
 * - round trip: a request unwrapped and read, an answer built and checked.
 *
 * Usage: npx tsx bench/parseOnce.ts --old <old-checkout> [--rounds 40]
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as newEnvelope from '../src/soap/envelope.ts';
import * as newBuild from '../src/xml/build.ts';

const { values } = parseArgs({ options: { old: { type: 'string' }, rounds: { type: 'string', default: '40' } } });
if (!values.old) {
  process.stderr.write('Failed to run the bench: no older checkout given. Pass --old <dir> (a copy of an older commit with node_modules).\n');
  process.exit(2);
}
const oldRoot = resolve(values.old);
const oldEnvelope = await import(pathToFileURL(join(oldRoot, 'src/soap/envelope.ts')).href);
const oldBuild = await import(pathToFileURL(join(oldRoot, 'src/xml/build.ts')).href);

const source = readFileSync(new URL('./validate.ts', import.meta.url), 'utf8');
const ENVELOPE = /const ENVELOPE = `([\s\S]*?)`;/.exec(source)![1]!;
const RESPONSE = {
  'pafn:paVerifyPaymentNoticeRes': { '@_xmlns:pafn': 'http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd', outcome: 'OK', fiscalCodePA: '77777777777' },
};

interface Impl {
  unwrap: (x: string, o?: object) => { ok: boolean; message?: { issues: unknown[]; bodyChild: { value: Record<string, unknown> } } };
  wrap: (x: string) => string;
  buildXml: (o: object) => string;
}
const OLD: Impl = { unwrap: oldEnvelope.unwrap, wrap: oldEnvelope.wrap, buildXml: oldBuild.buildXml };
const NEW: Impl = { unwrap: newEnvelope.unwrap as Impl['unwrap'], wrap: newEnvelope.wrap, buildXml: newBuild.buildXml as Impl['buildXml'] };

const must = (c: boolean) => {
  if (!c) throw new Error('unexpected result: the sample envelope must stay valid');
};
const cases: Record<string, (m: Impl) => void> = {
  'unwrap, issues only': (m) => {
    const r = m.unwrap(ENVELOPE, { read: false });
    must(r.ok && r.message!.issues.length === 0);
  },
  'unwrap + read value': (m) => {
    const r = m.unwrap(ENVELOPE);
    must(r.ok && r.message!.bodyChild.value['data'] !== undefined);
  },
  'round trip': (m) => {
    const r = m.unwrap(ENVELOPE);
    must(r.ok && r.message!.bodyChild.value['data'] !== undefined);
    const a = m.unwrap(m.wrap(m.buildXml(RESPONSE)), { read: false });
    must(a.ok && a.message!.issues.length === 0);
  },
};

const rounds = Math.max(2, Number(values.rounds) || 40);
const BATCH = 250;
console.log(`old: ${oldRoot}; ${rounds} rounds of ${BATCH} per side; node ${process.version}`);
for (const [name, fn] of Object.entries(cases)) {
  for (let i = 0; i < 1000; i++) {
    fn(OLD);
    fn(NEW);
  }
  let tOld = 0;
  let tNew = 0;
  for (let r = 0; r < rounds; r++) {
    for (const m of r % 2 ? [NEW, OLD] : [OLD, NEW]) {
      const t = performance.now();
      for (let i = 0; i < BATCH; i++) fn(m);
      if (m === OLD) tOld += performance.now() - t;
      else tNew += performance.now() - t;
    }
  }
  const n = rounds * BATCH;
  console.log(
    `${name.padEnd(22)} old ${Math.round((n / tOld) * 1000)
      .toLocaleString('en-US')
      .padStart(7)}/s  new ${Math.round((n / tNew) * 1000)
      .toLocaleString('en-US')
      .padStart(7)}/s  new/old ${(tOld / tNew).toFixed(2)}x`,
  );
}
