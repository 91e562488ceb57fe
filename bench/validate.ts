/**
 * `npm run bench:validate`: validations per second of a realistic ~2 KB
 * paGetPaymentV2Response envelope (parse envelope + locate Body child + XSD-validate,
 * through `unwrap`), the same with the Body child read into an object from that one
 * parse, a SOAP round trip (request in, response built, response checked), and the schema
 * compile time measured in a fresh process. Each rate is also printed as a ratio to the
 * bare libxml2 parse measured in the same run, so runs on different machines compare.
 *
 * Usage: npm run bench:validate [-- --iterations 20000]
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { unwrap, wrap } from '../src/soap/envelope.ts';
import { loadSchemas } from '../src/xml/schemas.ts';
import { parseXml } from '../src/xml/parse.ts';
import { buildXml } from '../src/xml/build.ts';

const ENVELOPE = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:pafn="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd">
  <soapenv:Header/>
  <soapenv:Body>
    <pafn:paGetPaymentV2Response>
      <outcome>OK</outcome>
      <data>
        <creditorReferenceId>01000000000001255</creditorReferenceId>
        <paymentAmount>116.00</paymentAmount>
        <dueDate>2026-12-31</dueDate>
        <lastPayment>true</lastPayment>
        <description>TARI 2026 rata unica - tassa sui rifiuti</description>
        <companyName>Comune di Esempio</companyName>
        <debtor>
          <uniqueIdentifier>
            <entityUniqueIdentifierType>F</entityUniqueIdentifierType>
            <entityUniqueIdentifierValue>RSSMRA80A01H501U</entityUniqueIdentifierValue>
          </uniqueIdentifier>
          <fullName>Mario Rossi</fullName>
          <city>Roma</city>
          <country>IT</country>
          <e-mail>mario.rossi@example.it</e-mail>
        </debtor>
        <transferList>
          <transfer>
            <idTransfer>1</idTransfer>
            <transferAmount>100.00</transferAmount>
            <fiscalCodePA>77777777777</fiscalCodePA>
            <companyName>Comune di Esempio</companyName>
            <IBAN>IT60X0542811101000000123456</IBAN>
            <remittanceInformation>TARI 2026 quota comunale</remittanceInformation>
            <transferCategory>0101101IM</transferCategory>
            <metadata>
              <mapEntry><key>RC_TIP_1</key><value>INCASSO_TIPICO</value></mapEntry>
            </metadata>
          </transfer>
          <transfer>
            <idTransfer>2</idTransfer>
            <transferAmount>16.00</transferAmount>
            <fiscalCodePA>77777777777</fiscalCodePA>
            <richiestaMarcaDaBollo>
              <hashDocumento>7cXyzDyVsqi6TwCqk9T9P4BHTRtZpwj8CAyk2bTK0vg=</hashDocumento>
              <tipoBollo>01</tipoBollo>
              <provinciaResidenza>RM</provinciaResidenza>
            </richiestaMarcaDaBollo>
            <remittanceInformation>Marca da bollo</remittanceInformation>
            <transferCategory>9/0301116TS/9/24B0060000000017</transferCategory>
          </transfer>
        </transferList>
        <metadata>
          <mapEntry><key>NOTIFICATION_FEE</key><value>100</value></mapEntry>
        </metadata>
      </data>
    </pafn:paGetPaymentV2Response>
  </soapenv:Body>
</soapenv:Envelope>
`;

function compileMsInFreshProcess(): number {
  const code = `import('${new URL('../src/xml/schemas.ts', import.meta.url).href}').then((m) => process.stdout.write(String(m.loadSchemas().compileMs)))`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', code], { encoding: 'utf8', cwd: fileURLToPath(new URL('..', import.meta.url)) });
  return Number(out.trim());
}

let reference = 0;
function rate(label: string, iterations: number, fn: () => void): number {
  for (let i = 0; i < Math.min(2000, iterations); i++) fn(); // warm-up
  const started = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  const ms = performance.now() - started;
  const perSec = (iterations / ms) * 1000;
  const ratio = reference ? `${(perSec / reference).toFixed(2)}x parse` : 'reference';
  console.log(
    `${label.padEnd(48)} ${Math.round(perSec).toLocaleString('en-US').padStart(8)} /s  ${ratio.padStart(12)}  (${iterations} in ${ms.toFixed(0)} ms)`,
  );
  return perSec;
}

const { values } = parseArgs({ options: { iterations: { type: 'string', default: '20000' } } });
const iterations = Math.max(1, Number(values.iterations) || 20000);

const check = unwrap(ENVELOPE);
if (!check.ok || check.message.issues.length) {
  console.error('Failed to run the bench: the sample envelope is not valid. Fix bench/validate.ts.', check.ok ? check.message.issues : check.problem);
  process.exit(1);
}
const compileMs = compileMsInFreshProcess();
loadSchemas();
console.log(`message: paGetPaymentV2Response envelope, ${Buffer.byteLength(ENVELOPE)} bytes; ${iterations} iterations; node ${process.version}`);
console.log(`schema compile (fresh process, loadSchemas().compileMs): ${compileMs.toFixed(0)} ms`);
reference = rate('libxml2 parse + dispose (reference)', iterations, () => {
  const p = parseXml(ENVELOPE);
  if (p.ok) p.value.doc.dispose();
});
const full = rate('unwrap, issues only (read: false)', iterations, () => {
  const r = unwrap(ENVELOPE, { read: false });
  if (!r.ok || r.message.issues.length) throw new Error('unexpected result');
});
rate('unwrap, then read bodyChild.value (same parse)', iterations, () => {
  const r = unwrap(ENVELOPE);
  if (!r.ok || !r.message.bodyChild.value['data']) throw new Error('unexpected result');
});
const RESPONSE = {
  'pafn:paVerifyPaymentNoticeRes': { '@_xmlns:pafn': 'http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd', outcome: 'OK', fiscalCodePA: '77777777777' },
};
rate('round trip: unwrap+read, build, check answer', iterations, () => {
  const r = unwrap(ENVELOPE);
  if (!r.ok || !r.message.bodyChild.value['data']) throw new Error('unexpected result');
  const answer = unwrap(wrap(buildXml(RESPONSE)), { read: false });
  if (!answer.ok || answer.message.issues.length) throw new Error('unexpected answer');
});
const verdict = full >= 10_000 && compileMs < 500 ? 'meets' : 'MISSES';
console.log(`target >= 10,000 validations/s and compile < 500 ms: ${verdict}`);
