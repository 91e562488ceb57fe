/**
 * Files the benchmarks serve: positions (YAML or NDJSON) for N notices of one EC, and a
 * registry whose one station is called at a URL. Written to a temporary folder.
 */
import { mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeNoticeNumber } from '../../src/station/noticeNumber.ts';
import { EC, PSP, STATION } from './messages.ts';

export const tmp = mkdtempSync(join(tmpdir(), 'harness-bench-'));
process.once('exit', () => rmSync(tmp, { recursive: true, force: true }));

/** The i-th notice (from 1) of EC 77777777777, aux 3, segregation 01. */
export function notice(i: number): string {
  const r = makeNoticeNumber({ auxDigit: 3, segregationCode: '01', base: i });
  if (!r.ok) throw new Error(r.message);
  return r.noticeNumber;
}

const IBAN = 'IT60X0542811101000000123456';

export function positionObject(i: number, ec = EC) {
  return {
    fiscalCode: ec,
    noticeNumber: notice(i),
    description: `Bench notice ${i}`,
    companyName: 'Comune di Esempio',
    dueDate: '2099-12-31',
    debtor: { type: 'F', id: 'RSSMRA80A01H501U', fullName: 'Mario Rossi' },
    transfers: [{ amount: '10.00', iban: IBAN, remittanceInformation: `Notice ${i}`, category: '0101101IM' }],
  };
}

export interface StationsSpec {
  /** Stations: `<ec>_01` for EC 77777777777 then 1000000000n... (one EC each). */
  stations?: number;
}

function stationDefs(n: number) {
  const defs = [{ idStation: STATION, idBrokerPA: EC, ecs: [EC] }];
  for (let i = 1; i < n; i++) {
    const ec = String(10_000_000_000 + i);
    defs.push({ idStation: `${ec}_01`, idBrokerPA: ec, ecs: [ec] });
  }
  return defs;
}

/** A YAML positions file (stations listed in it) with `n` notices. */
export function positionsYaml(n: number, spec: StationsSpec = {}): string {
  const file = join(tmp, `positions-${n}-${spec.stations ?? 1}.yaml`);
  const lines = ['stations:'];
  for (const s of stationDefs(spec.stations ?? 1)) lines.push(`  - { idStation: "${s.idStation}", idBrokerPA: "${s.idBrokerPA}", ecs: ["${s.ecs[0]}"] }`);
  lines.push('positions:');
  for (let i = 1; i <= n; i++) {
    const p = positionObject(i);
    lines.push(
      `  - fiscalCode: "${p.fiscalCode}"`,
      `    noticeNumber: "${p.noticeNumber}"`,
      `    description: ${p.description}`,
      `    companyName: ${p.companyName}`,
      `    dueDate: "${p.dueDate}"`,
      `    debtor: { type: F, id: RSSMRA80A01H501U, fullName: Mario Rossi }`,
      `    transfers:`,
      `      - { amount: 10.00, iban: ${IBAN}, remittanceInformation: Notice ${i}, category: 0101101IM }`,
    );
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** An NDJSON positions file: a first line `{"stations": [...]}`, then one position per line. */
export async function positionsNdjson(n: number, spec: StationsSpec = {}): Promise<string> {
  const file = join(tmp, `positions-${n}-${spec.stations ?? 1}.ndjson`);
  const out = createWriteStream(file);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write(`${JSON.stringify({ stations: stationDefs(spec.stations ?? 1) })}\n`);
  let chunk = '';
  for (let i = 1; i <= n; i++) {
    chunk += `${JSON.stringify(positionObject(i))}\n`;
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
  return file;
}

/** A registry whose station 77777777777_01 is called at `stationUrl` (no broadcast station: receipts go to it alone). */
export function registryFor(stationUrl: string, name = 'registry'): string {
  const file = join(tmp, `${name}-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    file,
    `creditorInstitutions:
  - { fiscalCode: "${EC}", businessName: Comune di Esempio, ibans: [${IBAN}] }
brokers:
  - { brokerCode: "${EC}", description: Comune di Esempio }
stations:
  - { stationCode: "${STATION}", brokerCode: "${EC}", version: 2, primitiveVersion: 2, endpoint: "${stationUrl}" }
associations:
  - { fiscalCode: "${EC}", stationCode: "${STATION}", auxDigit: 3, segregationCode: "01" }
psps:
  - { pspCode: "${PSP.idPSP}", businessName: PSP Demo SpA, fiscalCode: "${PSP.idPSP}", vatNumber: "${PSP.idPSP}" }
pspBrokers:
  - { brokerPspCode: "${PSP.idBrokerPSP}", description: PSP Demo SpA }
channels:
  - { channelCode: "${PSP.idChannel}", brokerPspCode: "${PSP.idBrokerPSP}", pspCode: "${PSP.idPSP}", password: ${PSP.password}, primitiveVersion: 2, newFaultCode: true }
`,
  );
  return file;
}
