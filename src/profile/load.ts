/**
 * Loads a station profile: YAML with positions, the JSON schema (ajv), then the rules a
 * schema cannot say (every notice routes to an EC of the station, a notice has one state,
 * codes unique...). Every problem is an Issue at file:line:col; nothing here throws.
 */
import { readTextFile } from '../fileText.ts';
import { createHash } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { parseDuration } from '../clock.ts';
import { hasValidCheckDigit, makeNoticeNumber, STAND_IN_PROBE } from '../station/index.ts';
import { issue, type Issue } from '../xml/index.ts';
import { parseYaml, pathText, pointerPath, yamlLocator, type Locator, type YamlPath } from '../yamlSource.ts';
import {
  NODO_TIMEOUTS,
  NOTICE_ROLES,
  PAYABLE_ROLES,
  type NoticeRole,
  type ProfileAt,
  type ProfileEc,
  type ProfileNotice,
  type ProfileRoute,
  type StationProfile,
} from './model.ts';
import { profileSchema } from './schema.ts';
import { fileAt } from '../location.ts';

export type ProfileResult = { ok: true; profile: StationProfile; warnings: Issue[] } | { ok: false; issues: Issue[] };

// Compiled on first use: compiling at import cost start-up time to every command importing this module.
let compiledProfile: ValidateFunction | undefined;
const profileValidator = (): ValidateFunction => (compiledProfile ??= new Ajv2020({ allErrors: true, strict: false }).compile(profileSchema));

type Raw = Record<string, unknown>;

interface Ctx {
  file: string;
  locate: Locator;
  issues: Issue[];
  warnings: Issue[];
}

function at(ctx: Ctx, path: YamlPath): ProfileAt {
  const lc = ctx.locate(path);
  return { file: ctx.file, line: lc?.line ?? 0, col: lc?.col ?? 0 };
}

function error(ctx: Ctx, code: string, path: YamlPath, message: string): void {
  const a = at(ctx, path);
  ctx.issues.push(issue(code, message, { path: pathText(path), line: a.line, col: a.col, source: ctx.file }));
}

function warning(ctx: Ctx, code: string, path: YamlPath, message: string): void {
  const a = at(ctx, path);
  ctx.warnings.push(issue(code, message, { path: pathText(path), line: a.line, col: a.col, source: ctx.file, severity: 'warning' }));
}

function schemaMessage(e: ErrorObject): string {
  const where = pathText(pointerPath(e.instancePath)) || 'the profile';
  if (/^\/notices\/\w+\/\d+(\/noticeNumber)?$/.test(e.instancePath) && (e.keyword === 'type' || e.keyword === 'pattern'))
    return `Failed to load the station profile: ${where} must be a quoted notice number of 18 digits ("301000000000100121"; unquoted, YAML reads a number and loses digits) or { fiscalCode: "...", noticeNumber: "..." }. Fix the value.`;
  switch (e.keyword) {
    case 'additionalProperties':
      return `Failed to load the station profile: unknown key '${(e.params as { additionalProperty: string }).additionalProperty}' in ${where}. Check the spelling (station-harness init writes a commented template).`;
    case 'required':
      return `Failed to load the station profile: ${where} lacks '${(e.params as { missingProperty: string }).missingProperty}'. Add it.`;
    case 'enum':
      return `Failed to load the station profile: ${where} must be one of ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}. Fix the value.`;
    case 'pattern':
      if (/noticeNumber$|notices\/\w+\/\d+$/.test(e.instancePath))
        return `Failed to load the station profile: ${where} must be a quoted notice number of 18 digits, e.g. "301000000000100121". Fix the value.`;
      if (e.instancePath.endsWith('/url'))
        return `Failed to load the station profile: ${where} must be the http(s):// URL of your station's paForNode endpoint. Fix the value.`;
      if (/fiscalCode$/.test(e.instancePath))
        return `Failed to load the station profile: ${where} must be an EC fiscal code of 11 digits, quoted (e.g. "77777777777"). Fix the value.`;
      return `Failed to load the station profile: ${where} ${e.message ?? 'is invalid'}. Fix the value.`;
    default:
      return `Failed to load the station profile: ${where} ${e.message ?? 'is invalid'}. Fix the value.`;
  }
}

const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));
/** YAML reads 01 or 00000000001 as numbers: restore the leading zeros of fixed-width codes. */
const padded = (v: unknown, width: number): string => String(v).padStart(width, '0');
const IBAN_FORM = /^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$/;

function routesOf(raw: Raw): ProfileRoute[] {
  const routes: ProfileRoute[] = [];
  for (const s of (raw['segregationCodes'] as unknown[] | undefined) ?? []) routes.push({ auxDigit: 3, segregationCode: padded(s, 2) });
  for (const a of (raw['applicationCodes'] as unknown[] | undefined) ?? []) routes.push({ auxDigit: 0, applicationCode: padded(a, 2) });
  if (raw['auxDigit'] !== undefined) routes.push({ auxDigit: raw['auxDigit'] as 1 | 2 });
  return routes;
}

function ecOf(ctx: Ctx, raw: Raw, path: YamlPath, primary: boolean): ProfileEc {
  const fiscalCode = padded(raw['fiscalCode'], 11);
  const routes = routesOf(raw);
  if (primary && routes.length === 0)
    error(
      ctx,
      'PROFILE_EC_ROUTE',
      path,
      `Failed to load the station profile: EC ${fiscalCode} says neither segregationCodes, applicationCodes nor auxDigit, so no notice can reach your station. Add segregationCodes: ["NN"] (the two digits after the aux digit 3 of its notice numbers).`,
    );
  const seen = new Set<string>();
  routes.forEach((r) => {
    const k = `${r.auxDigit}/${r.segregationCode ?? r.applicationCode ?? ''}`;
    if (seen.has(k))
      error(
        ctx,
        'PROFILE_DUPLICATE_CODE',
        path,
        `Failed to load the station profile: EC ${fiscalCode} lists ${r.segregationCode ? `segregation code ${r.segregationCode}` : `application code ${r.applicationCode}`} twice. Remove one.`,
      );
    seen.add(k);
  });
  const ibans = ((raw['ibans'] as string[] | undefined) ?? []).map((i) => i.replace(/\s+/g, '').toUpperCase());
  ibans.forEach((iban, j) => {
    if (!IBAN_FORM.test(iban))
      error(
        ctx,
        'PROFILE_IBAN_FORM',
        [...path, 'ibans', j],
        `Failed to load the station profile: IBAN '${iban}' of EC ${fiscalCode} is not well formed (2 letters, 2 digits, 1-30 letters or digits). Fix it.`,
      );
  });
  return {
    fiscalCode,
    ...(typeof raw['companyName'] === 'string' ? { companyName: raw['companyName'] } : {}),
    routes,
    ibans,
    postalAccounts: ((raw['postalAccounts'] as unknown[] | undefined) ?? []).map((a) => padded(a, 12)),
    broadcast: raw['broadcast'] === true,
    at: at(ctx, path),
  };
}

/** Whether a notice number reaches the station through a route (docs/primitives.md §4). */
export function routeMatches(route: ProfileRoute, noticeNumber: string): boolean {
  const aux = Number(noticeNumber[0]);
  if (aux !== route.auxDigit) return false;
  if (aux === 3) return noticeNumber.slice(1, 3) === route.segregationCode;
  if (aux === 0) return noticeNumber.slice(1, 3) === route.applicationCode;
  return true;
}

const routeText = (r: ProfileRoute) =>
  r.auxDigit === 3
    ? `aux digit 3, segregation code ${r.segregationCode}`
    : r.auxDigit === 0
      ? `aux digit 0, application code ${r.applicationCode}`
      : `aux digit ${r.auxDigit}`;

function noticeOf(ctx: Ctx, raw: unknown, role: NoticeRole, path: YamlPath, ecs: ProfileEc[]): ProfileNotice | undefined {
  const o = typeof raw === 'string' ? { noticeNumber: raw } : (raw as Raw);
  const noticeNumber = String(o['noticeNumber']);
  const given = o['fiscalCode'] === undefined ? undefined : padded(o['fiscalCode'], 11);
  const where = typeof raw === 'string' ? path : [...path, 'noticeNumber'];
  if (noticeNumber === STAND_IN_PROBE) {
    error(
      ctx,
      'PROFILE_NOTICE_PROBE',
      where,
      `Failed to load the station profile: ${STAND_IN_PROBE} is the Nodo's stand-in probe, which the suite always sends; it is not test data. Remove it.`,
    );
    return undefined;
  }
  let fiscalCode = given;
  if (given !== undefined) {
    const ec = ecs.find((e) => e.fiscalCode === given);
    if (!ec) {
      error(
        ctx,
        'PROFILE_NOTICE_EC',
        [...path, 'fiscalCode'],
        `Failed to load the station profile: notice ${noticeNumber} names EC ${given}, which is not one of the ecs your station serves (${ecs.map((e) => e.fiscalCode).join(', ')}). Add the EC under ecs: or fix the fiscal code.`,
      );
      return undefined;
    }
    if (role !== 'unknown' && !ec.routes.some((r) => routeMatches(r, noticeNumber))) {
      error(
        ctx,
        'PROFILE_NOTICE_ROUTE',
        where,
        `Failed to load the station profile: notice ${noticeNumber} of EC ${given} does not reach your station: its aux digit and code match none of the EC's routes (${ec.routes.map(routeText).join('; ') || 'none'}). Add its code to the EC or fix the notice number.`,
      );
      return undefined;
    }
  } else {
    const matching = ecs.filter((e) => e.routes.some((r) => routeMatches(r, noticeNumber)));
    if (matching.length === 0) {
      error(
        ctx,
        'PROFILE_NOTICE_ROUTE',
        where,
        `Failed to load the station profile: notice ${noticeNumber} reaches none of the ecs (its aux digit is ${noticeNumber[0]}${/^[03]/.test(noticeNumber) ? `, its code ${noticeNumber.slice(1, 3)}` : ''}). Add that code to the EC that issued it, or write { fiscalCode, noticeNumber }.`,
      );
      return undefined;
    }
    if (matching.length > 1) {
      error(
        ctx,
        'PROFILE_NOTICE_AMBIGUOUS',
        where,
        `Failed to load the station profile: notice ${noticeNumber} could be of EC ${matching.map((e) => e.fiscalCode).join(' or ')}. Write it as { fiscalCode: "...", noticeNumber: "${noticeNumber}" }.`,
      );
      return undefined;
    }
    fiscalCode = matching[0]!.fiscalCode;
  }
  if (!hasValidCheckDigit(noticeNumber) && role !== 'unknown')
    warning(
      ctx,
      'PROFILE_CHECK_DIGIT',
      where,
      `notice ${noticeNumber} has a wrong check digit (mod 93); the Nodo does not check it, so the suite uses it as it is`,
    );
  return { fiscalCode: fiscalCode!, noticeNumber, role, generated: false, at: at(ctx, where) };
}

/** A notice number of `ec`'s first route that no listed notice uses (role unknown when the profile lists none). */
export function generateUnknown(ec: ProfileEc, taken: ReadonlySet<string>): string | undefined {
  const route = ec.routes[0];
  if (!route) return undefined;
  const digits = BigInt(`0x${createHash('sha256').update(`unknown:${ec.fiscalCode}`).digest('hex').slice(0, 15)}`)
    .toString()
    .padStart(18, '0');
  const len = route.auxDigit === 1 ? 17 : route.auxDigit === 2 ? 15 : 13;
  // A leading 9 keeps the number far from the sequences stations usually issue.
  for (let i = 0; i < 100; i++) {
    const base = `9${(BigInt(digits.slice(-(len - 1))) + BigInt(i))
      .toString()
      .padStart(len - 1, '0')
      .slice(-(len - 1))}`;
    const r = makeNoticeNumber({
      auxDigit: route.auxDigit,
      base,
      ...(route.segregationCode ? { segregationCode: route.segregationCode } : {}),
      ...(route.applicationCode ? { applicationCode: route.applicationCode } : {}),
    });
    if (r.ok && !taken.has(r.noticeNumber)) return r.noticeNumber;
  }
  return undefined;
}

/** Which state a role stands for: a notice cannot be in two of these. */
const stateOf = (r: NoticeRole): string => (PAYABLE_ROLES.includes(r) ? 'payable' : r);

function build(ctx: Ctx, data: Raw): StationProfile | undefined {
  const st = data['station'] as Raw;
  const t = (st['timeouts'] ?? {}) as Raw;
  const ms = (k: keyof typeof NODO_TIMEOUTS) => (t[k] === undefined ? NODO_TIMEOUTS[k] : parseDuration(t[k] as string | number));
  const primitiveVersion = st['primitiveVersion'] as 1 | 2;
  const ecs = (data['ecs'] as Raw[]).map((e, i) => ecOf(ctx, e, ['ecs', i], true));
  const secondaryEcs = ((data['secondaryEcs'] as Raw[] | undefined) ?? []).map((e, i) => ecOf(ctx, e, ['secondaryEcs', i], false));
  const seen = new Map<string, string>();
  [...ecs.map((e, i) => ({ e, path: ['ecs', i] as YamlPath })), ...secondaryEcs.map((e, i) => ({ e, path: ['secondaryEcs', i] as YamlPath }))].forEach(
    ({ e, path }) => {
      const first = seen.get(e.fiscalCode);
      if (first)
        error(
          ctx,
          'PROFILE_DUPLICATE_EC',
          [...path, 'fiscalCode'],
          `Failed to load the station profile: EC ${e.fiscalCode} is listed twice (also at ${first}). List each EC once: under ecs if your station serves its notices, else under secondaryEcs.`,
        );
      else seen.set(e.fiscalCode, pathText(path));
    },
  );
  const accounts = new Map<string, string>();
  for (const e of [...ecs, ...secondaryEcs])
    for (const a of e.postalAccounts) {
      const owner = accounts.get(a);
      if (owner && owner !== e.fiscalCode)
        error(
          ctx,
          'PROFILE_DUPLICATE_POSTALACCOUNT',
          ['ecs'],
          `Failed to load the station profile: postal account ${a} is listed for EC ${owner} and EC ${e.fiscalCode}; a postal account belongs to one EC. Remove one.`,
        );
      accounts.set(a, e.fiscalCode);
    }

  const rawNotices = (data['notices'] ?? {}) as Record<string, unknown[]>;
  const notices = Object.fromEntries(NOTICE_ROLES.map((r) => [r, [] as ProfileNotice[]])) as Record<NoticeRole, ProfileNotice[]>;
  const stateByNotice = new Map<string, { state: string; role: NoticeRole }>();
  for (const role of NOTICE_ROLES) {
    (rawNotices[role] ?? []).forEach((raw, i) => {
      const n = noticeOf(ctx, raw, role, ['notices', role, i], ecs);
      if (!n) return;
      const key = `${n.fiscalCode}/${n.noticeNumber}`;
      if (notices[role].some((x) => x.fiscalCode === n.fiscalCode && x.noticeNumber === n.noticeNumber)) {
        error(
          ctx,
          'PROFILE_NOTICE_TWICE',
          ['notices', role, i],
          `Failed to load the station profile: notice ${n.noticeNumber} is listed twice under notices.${role}. Remove one.`,
        );
        return;
      }
      const prev = stateByNotice.get(key);
      if (prev && prev.state !== stateOf(role)) {
        error(
          ctx,
          'PROFILE_NOTICE_STATE',
          ['notices', role, i],
          `Failed to load the station profile: notice ${n.noticeNumber} is listed as ${prev.role} and as ${role}; a notice is in one state. Keep it under one role.`,
        );
        return;
      }
      stateByNotice.set(key, { state: stateOf(role), role });
      notices[role].push(n);
    });
  }
  if (notices.stamp.length && primitiveVersion !== 2)
    error(
      ctx,
      'PROFILE_STAMP_VERSION',
      ['notices', 'stamp'],
      'Failed to load the station profile: notices.stamp needs primitiveVersion 2 (a digital stamp travels as richiestaMarcaDaBollo, which only paGetPaymentV2 carries). Remove the stamp notices or set station.primitiveVersion: 2.',
    );
  const sync = (data['send'] as Raw | undefined)?.['sync'] === true;
  const acaOf = ((data['aca'] as Raw | undefined) ?? {}) as Raw;
  if (notices.sendFee.length && !sync)
    error(
      ctx,
      'PROFILE_SENDFEE_SYNC',
      ['notices', 'sendFee'],
      "Failed to load the station profile: notices.sendFee lists notices linked to SEND, but send.sync is not true. Add send: { sync: true } if your station calls SEND's price API, or remove them.",
    );
  if (notices.unknown.length === 0) {
    const taken = new Set([...stateByNotice.keys()].map((k) => k.split('/')[1]!));
    const ec = ecs.find((e) => e.routes.length);
    const nn = ec && generateUnknown(ec, taken);
    if (ec && nn) notices.unknown.push({ fiscalCode: ec.fiscalCode, noticeNumber: nn, role: 'unknown', generated: true, at: at(ctx, ['notices']) });
  }
  if (notices.payable.length === 0)
    warning(
      ctx,
      'PROFILE_NO_PAYABLE',
      ['notices'],
      'the profile lists no payable notice (notices.payable): most checks of the station suite will be skipped. List at least one payable single-beneficiary notice your station holds',
    );
  if (ctx.issues.length) return undefined;
  return {
    file: ctx.file,
    station: {
      url: String(st['url']),
      idBrokerPA: str(st['idBrokerPA'])!,
      idStation: String(st['idStation']),
      primitiveVersion,
      timeouts: { paVerifyPaymentNotice: ms('paVerifyPaymentNotice'), paGetPayment: ms('paGetPayment'), paSendRT: ms('paSendRT') },
      at: at(ctx, ['station']),
    },
    ecs,
    secondaryEcs,
    send: { sync },
    aca: { confers: acaOf['confers'] === true, ...(typeof acaOf['url'] === 'string' ? { url: acaOf['url'].replace(/\/+$/, '') } : {}) },
    notices,
  };
}

/** Checks and normalises a parsed profile document. */
export function normalizeProfile(data: unknown, file: string, locate: Locator = () => undefined): ProfileResult {
  const ctx: Ctx = { file, locate, issues: [], warnings: [] };
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    error(
      ctx,
      'PROFILE_NOT_OBJECT',
      [],
      'Failed to load the station profile: it is not a mapping. Write station:, ecs: and notices: at the top level (station-harness init writes a template).',
    );
    return { ok: false, issues: ctx.issues };
  }
  const validate = profileValidator();
  if (!validate(data)) {
    for (const e of validate.errors ?? []) {
      // anyOf summaries repeat what the branches say.
      if (e.keyword === 'anyOf') continue;
      const path = pointerPath(e.instancePath);
      if (e.keyword === 'additionalProperties') path.push((e.params as { additionalProperty: string }).additionalProperty);
      const message = schemaMessage(e);
      if (ctx.issues.some((i) => i.message === message)) continue;
      error(ctx, 'PROFILE_SCHEMA', path, message);
    }
    return { ok: false, issues: ctx.issues };
  }
  const profile = build(ctx, data as unknown as Raw);
  return profile ? { ok: true, profile, warnings: ctx.warnings } : { ok: false, issues: ctx.issues };
}

/** Parses profile YAML text (errors located in `file`). */
export function parseProfile(text: string, file: string): ProfileResult {
  const y = parseYaml(text, file, 'PROFILE_YAML', (m) => `Failed to read the station profile: ${m}. Fix the YAML syntax.`);
  if (!y.ok) return { ok: false, issues: y.issues };
  return normalizeProfile(y.doc.toJS(), file, yamlLocator(y.doc, y.lineCounter));
}

/** Reads and checks a station profile file. */
export function loadProfile(file: string): ProfileResult {
  const r = readTextFile(file, { what: 'the station profile', code: 'PROFILE_IO', fix: 'Pass your station.yaml (station-harness init writes one).' });
  return r.ok ? parseProfile(r.text, file) : r;
}

/** `file:line:col message`, the form the CLI prints. */
export function formatProfileIssue(i: Issue): string {
  return `${fileAt(i.source ?? '<profile>', i.line, i.col)} ${i.severity === 'warning' ? 'warning: ' : ''}${i.message}`;
}
