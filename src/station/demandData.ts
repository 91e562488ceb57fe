/**
 * The service data of a spontaneous payment (paDemandPaymentNotice datiSpecificiServizioRequest,
 * docs/primitives.md §5.8): decoded, validated against the service's own XSD (PAA_SINTASSI_XSD, with
 * path and line:col in the decoded document), then read into the new position's amount, debtor
 * and description (PAA_SEMANTICA when a value the position needs is missing or wrong). Shared by
 * the reference station and GPD. Issues are returned, never thrown.
 */
import { decodeBase64Document, documentSchemaFromText, validateDocument } from '../xml/index.ts';
import { withParsed } from '../xml/index.ts';
import { elementObject, pick, type XmlObject } from '../xml/index.ts';
import { paaFault, type StationFault } from './faults.ts';
import type { DemandService, Subject } from './model.ts';

export interface DemandPosition {
  amountCents: number;
  debtor: Subject;
  description: string;
}

export type DemandData = { ok: true; position: DemandPosition; notes: string[] } | { ok: false; fault: StationFault };

const AMOUNT = /^\d{1,9}\.\d{2}$/;
const ANONYMOUS: Subject = { type: 'F', id: 'ANONIMO', fullName: 'ANONIMO' };

function syntax(why: string): DemandData {
  return {
    ok: false,
    fault: paaFault('PAA_SINTASSI_XSD', `Failed to read datiSpecificiServizioRequest: ${why}. Send the service's data as its XSD describes.`),
  };
}
function semantic(why: string): DemandData {
  return { ok: false, fault: paaFault('PAA_SEMANTICA', `Failed to create the position: ${why}.`) };
}

/** The text of the element at a dotted path below the document root, or undefined. */
function valueAt(root: XmlObject, path: string | undefined): string | undefined {
  if (!path) return undefined;
  const v = pick(root, path);
  return typeof v === 'string' ? v : undefined;
}

export function readDemandData(svc: DemandService, b64: string): DemandData {
  const text = decodeBase64Document(b64);
  if (text === undefined) return syntax('it is not base64');
  const needsData = Boolean(svc.xsd) || Object.values(svc.from).some(Boolean);
  if (!needsData)
    return {
      ok: true,
      position: { amountCents: svc.amountCents ?? 0, debtor: ANONYMOUS, description: svc.description },
      notes: ['service data not read (the service declares no XSD and no from:)'],
    };
  if (svc.xsd) {
    const schema = documentSchemaFromText(svc.xsd.text, svc.xsd.name);
    if (!schema.ok) return { ok: false, fault: paaFault('PAA_SYSTEM_ERROR', `the service XSD ${svc.xsd.name} does not compile`) };
    const issues = validateDocument(text, schema.schema, 'datiSpecificiServizioRequest');
    if (issues.length) {
      const list = issues
        .slice(0, 3)
        .map((i) => `${i.path || '/'} (line ${i.line}:${i.col}): ${i.message}`)
        .join('; ');
      return syntax(`it is not valid against ${svc.xsd.name}: ${list}`);
    }
  }
  const read = withParsed(text, (p) => elementObject(p.root), { maxBytes: 1024 * 1024 });
  if (!read.ok) return syntax(`it is not XML (line ${read.issues[0]!.line}:${read.issues[0]!.col}: ${read.issues[0]!.message})`);
  const root = read.value;

  let amountCents = svc.amountCents;
  if (svc.from.amount) {
    const raw = valueAt(root, svc.from.amount);
    if (raw === undefined) return semantic(`the service data has no ${svc.from.amount} (the amount of the position)`);
    if (!AMOUNT.test(raw)) return semantic(`${svc.from.amount} '${raw}' is not an amount with two decimals`);
    amountCents = Math.round(Number(raw) * 100);
  }
  if (amountCents === undefined || amountCents < 1) return semantic(`the amount ${((amountCents ?? 0) / 100).toFixed(2)} is not payable (at least 0.01)`);
  if (svc.maxAmountCents !== undefined && amountCents > svc.maxAmountCents)
    return semantic(`the amount ${(amountCents / 100).toFixed(2)} exceeds the ${(svc.maxAmountCents / 100).toFixed(2)} service ${svc.idServizio} allows`);

  const id = valueAt(root, svc.from.debtorId);
  const name = valueAt(root, svc.from.debtorName);
  if (id !== undefined && !/^[A-Za-z0-9]{2,16}$/.test(id)) return semantic(`${svc.from.debtorId} '${id}' is not a fiscal code (2-16 letters and digits)`);
  const debtor: Subject = id
    ? { type: /^\d{11}$/.test(id) ? 'G' : 'F', id: id.toUpperCase(), fullName: (name ?? id).slice(0, 70) }
    : name
      ? { ...ANONYMOUS, fullName: name.slice(0, 70) }
      : ANONYMOUS;
  const description = (valueAt(root, svc.from.description) ?? svc.description).slice(0, 140);
  return {
    ok: true,
    position: { amountCents, debtor, description: description || svc.description },
    notes: [`service data valid${svc.xsd ? ` against ${svc.xsd.name}` : ''}: amount ${(amountCents / 100).toFixed(2)}, debtor ${debtor.id}`],
  };
}
