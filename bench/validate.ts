/**
 * `npm run bench:validate`: validations per second of a realistic ~2 KB
 * paGetPaymentV2Response envelope (parse envelope + locate Body child + XSD-validate,
 * through `unwrap`), and the schema compile time measured in a fresh process.
 *
 * Usage: npm run bench:validate [-- --iterations 20000]
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { unwrap } from '../src/soap/envelope.ts';
import { loadSchemas } from '../src/xml/schemas.ts';
import { parseXml } from '../src/xml/parse.ts';
import { xmlToObject } from '../src/xml/read.ts';

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

function rate(label: string, iterations: number, fn: () => void): number {
  for (let i = 0; i < Math.min(2000, iterations); i++) fn(); // warm-up
  const started = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  const ms = performance.now() - started;
  const perSec = (iterations / ms) * 1000;
  console.log(`${label.padEnd(44)} ${Math.round(perSec).toLocaleString('en-US').padStart(8)} /s  (${iterations} in ${ms.toFixed(0)} ms)`);
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
const full = rate('unwrap (parse + Body child + validate)', iterations, () => {
  const r = unwrap(ENVELOPE);
  if (!r.ok || r.message.issues.length) throw new Error('unexpected result');
});
rate('unwrap, then read bodyChild.value (object)', iterations, () => {
  const r = unwrap(ENVELOPE);
  if (!r.ok || !r.message.bodyChild.value['data']) throw new Error('unexpected result');
});
rate('  of which libxml2 parse + dispose', iterations, () => {
  const p = parseXml(ENVELOPE);
  if (p.ok) p.value.doc.dispose();
});
rate('  of which fast-xml-parser object', iterations, () => xmlToObject(ENVELOPE));
const verdict = full >= 10_000 && compileMs < 500 ? 'meets' : 'MISSES';
console.log(`target >= 10,000 validations/s and compile < 500 ms: ${verdict}`);
