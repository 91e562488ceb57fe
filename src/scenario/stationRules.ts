/**
 * Judging the station's answers against the rules of rules.ts. Expected values come from
 * the profile (roles, ECs, IBANs) and from the station's own earlier answers (memory).
 * A failure says who disagrees: the station's answer, or the profile's data (a notice
 * declared expired that the station holds as payable), and what to fix, naming notice,
 * role and rule. A rule that cannot be judged on this answer says why (`na`).
 */
import { ROLE_MEANING, type StationProfile } from '../profile/index.ts';
import { iuvOf } from '../station/index.ts';
import { asArray, pick, type XmlObject } from '../xml/index.ts';
import type { Mismatch } from './expect.ts';
import type { NoticeMemory, RoleBinding } from './stationCase.ts';
import { describeStationAnswer, validResponse, type StationAnswer } from './stationCall.ts';
import { stationRule } from './rules.ts';

export interface JudgeContext {
  profile: StationProfile;
  /** The notice the call was about, when it is bound to a role. */
  binding?: RoleBinding;
  fiscalCode: string;
  noticeNumber: string;
  /** What the station answered earlier in the case for this notice. */
  memory: NoticeMemory;
  /** SEND's price API calls for the notice while the station answered (SEND-FEE). */
  sendPrice?: { calls: number; totalPrice?: number };
}

export type Verdict =
  | { ok: true; what: string }
  | { ok: false; what: string; mismatch: Mismatch }
  /** Not applicable to this answer (said why; no check is recorded). */
  | { na: string; finding?: { code: string; message: string } };

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const cents = (v: unknown): number => Math.round(Number(v) * 100);
const fmt = (c: number): string => (c / 100).toFixed(2);
const src = (id: string) => stationRule(id)?.source ?? '';

function subject(ctx: JudgeContext): string {
  const b = ctx.binding;
  return b ? `notice ${ctx.noticeNumber} of EC ${ctx.fiscalCode} (role ${b.role})` : `notice ${ctx.noticeNumber} of EC ${ctx.fiscalCode}`;
}

/** The answer in a few words (outcome and fault code), for hints. */
function briefAnswer(a: StationAnswer): string {
  const v = validResponse(a);
  if (!v) return describeStationAnswer(a);
  const { outcome, code } = outcomeOf(a);
  return outcome === 'KO' ? `KO ${code ?? '(no fault bean)'}` : (outcome ?? '(no outcome)');
}

function outcomeOf(a: StationAnswer): { outcome?: string; code?: string } {
  const v = validResponse(a);
  return { outcome: str(v?.['outcome']), code: str(pick(v, 'fault.faultCode')) };
}

/** The answer is a valid response with outcome KO and this fault code. */
function isKo(a: StationAnswer, code: string): boolean {
  const o = outcomeOf(a);
  return o.outcome === 'KO' && o.code === code;
}

/** A fix for the station alone (the request carried no profile data that could be wrong). */
function stationFix(id: string, expected: string, a: StationAnswer, what: string, path: string, fix: string, type: Mismatch['type'] = 'value'): Verdict {
  return { ok: false, what, mismatch: { type, path, expected, actual: describeStationAnswer(a), hint: `${fix} (${id}: ${src(id)})` } };
}

/** Either the station's answer or the profile's data disagrees: say both and what to fix in each case. */
function eitherFix(id: string, expected: string, a: StationAnswer, ctx: JudgeContext, what: string, stationSide: string): Verdict {
  const b = ctx.binding;
  const actual = describeStationAnswer(a);
  if (!b || b.generated) {
    const why = b?.generated ? ` (the harness generated ${ctx.noticeNumber}: your station cannot hold it)` : '';
    return { ok: false, what, mismatch: { type: 'value', path: subject(ctx), expected, actual, hint: `${stationSide}${why} (${id}: ${src(id)})` } };
  }
  const hint = `the profile declares ${ctx.noticeNumber} (EC ${ctx.fiscalCode}) ${b.role}; the station answered ${briefAnswer(a)}. If the notice is ${b.role} on your station, fix the station: ${stationSide}. If it is not, fix ${ctx.profile.file}: list under notices.${b.role} ${ROLE_MEANING[b.role]} (${id}: ${src(id)})`;
  return { ok: false, what, mismatch: { type: 'value', path: subject(ctx), expected, actual, hint } };
}

function expectKo(id: string, code: string, a: StationAnswer, ctx: JudgeContext, stationSide: string): Verdict {
  const what = `${a.operation} of ${subject(ctx)} is answered KO ${code}`;
  if (isKo(a, code)) return { ok: true, what };
  // A broken answer is the station's, whatever the data.
  if (!validResponse(a)) return stationFix(id, `KO ${code}`, a, what, subject(ctx), `answer with a valid ${a.response}, outcome KO and faultCode ${code}`);
  return eitherFix(id, `KO ${code}`, a, ctx, what, stationSide);
}

function expectPayable(id: string, a: StationAnswer, ctx: JudgeContext): Verdict {
  const what = `${a.operation} of ${subject(ctx)} is answered OK with its payment data`;
  const v = validResponse(a);
  const dataOk = a.operation === 'paVerifyPaymentNotice' ? v?.['paymentList'] !== undefined : v?.['data'] !== undefined;
  if (v && v['outcome'] === 'OK' && dataOk) return { ok: true, what };
  if (!v) return stationFix(id, 'OK', a, what, subject(ctx), `answer a payable notice with a valid ${a.response}, outcome OK`);
  if (v['outcome'] === 'OK')
    return stationFix(
      id,
      'OK with payment data',
      a,
      what,
      subject(ctx),
      `an OK ${a.response} must carry ${a.operation === 'paVerifyPaymentNotice' ? 'paymentList (one paymentOptionDescription)' : 'data'}`,
    );
  const { code } = outcomeOf(a);
  const b = ctx.binding;
  const role = b?.role ?? 'payable';
  const data = `fix ${ctx.profile.file}: list under notices.${role} ${ROLE_MEANING[role]}`;
  const reason: Record<string, string> = {
    PAA_PAGAMENTO_DUPLICATO: `it holds the notice as already paid, probably by an earlier run. Reload your station's test data (each run lists the notices it paid), or ${data}`,
    PAA_PAGAMENTO_SCONOSCIUTO: `it does not know the notice: load it into your station, or ${data}`,
    PAA_PAGAMENTO_SCADUTO: `it holds the notice as expired: list it under notices.expired instead, or ${data}`,
    PAA_PAGAMENTO_ANNULLATO: `it holds the notice as cancelled: list it under notices.cancelled instead, or ${data}`,
  };
  const hint = `the profile declares ${ctx.noticeNumber} (EC ${ctx.fiscalCode}) ${role}; the station answered KO ${code ?? '(no fault code)'}: ${reason[code ?? ''] ?? `if the notice is payable on your station, fix the station so that it answers OK; otherwise ${data}`} (${id}: ${src(id)})`;
  return { ok: false, what, mismatch: { type: 'value', path: subject(ctx), expected: 'OK', actual: describeStationAnswer(a), hint } };
}

/** Rules judged on the data of a valid OK answer: `na` on anything else (the primary rule of the step says why). */
function okBody(a: StationAnswer): XmlObject | undefined {
  const v = validResponse(a);
  return v && v['outcome'] === 'OK' ? v : undefined;
}

const transfersOf = (v: XmlObject): XmlObject[] => asArray(pick(v, 'data.transferList.transfer') as XmlObject | XmlObject[] | undefined);

function dataFail(id: string, what: string, path: string, expected: string, actual: string, hint: string): Verdict {
  return { ok: false, what, mismatch: { type: 'value', path, expected, actual, hint: `${hint} (${id}: ${src(id)})` } };
}

function transport(a: StationAnswer): Verdict {
  const id = 'HTTP-SOAP-ANSWER';
  const ct = a.contentType ?? '';
  const xml = /^text\/xml\b/i.test(ct);
  if (a.failure === 'timeout' || a.failure === 'refused' || a.failure === 'reset') return { na: 'no answer (ANSWER-TIME says why)' };
  if (a.soapFault) {
    const what = `the SOAP Fault answering ${a.operation} comes with HTTP 500 and Content-Type text/xml`;
    if (a.status === 500 && xml) return { ok: true, what };
    return transportFail(
      id,
      'HTTP 500, text/xml',
      a,
      what,
      `a SOAP 1.1 Fault is sent with HTTP 500 and Content-Type text/xml; got HTTP ${a.status ?? '?'} and ${ct || 'no Content-Type'}`,
    );
  }
  const what = `the answer to ${a.operation} (${str(a.body?.['outcome']) ?? 'no outcome'}) comes with HTTP 200 and Content-Type text/xml`;
  if (a.status === 200 && xml && a.body) return { ok: true, what };
  const got = `HTTP ${a.status ?? '?'} and ${ct || 'no Content-Type'}${a.body ? '' : ', no paForNode response'}`;
  return transportFail(
    id,
    'HTTP 200, text/xml, a paForNode response',
    a,
    what,
    `answer every paForNode request, KO included, with HTTP 200, Content-Type text/xml and a SOAP envelope carrying the response; got ${got}. A real Nodo takes anything else as PPT_STAZIONE_INT_PA_ERRORE_RESPONSE`,
  );
}

/**
 * A failed HTTP-SOAP-ANSWER: the actual value is how the answer came (status, Content-Type), then
 * what it said (a text/html answer carrying a valid OK was reported as 'OK in 887 ms').
 */
function transportFail(id: string, expected: string, a: StationAnswer, what: string, fix: string): Verdict {
  const came = `HTTP ${a.status ?? '?'}, ${a.contentType || 'no Content-Type'}`;
  const outcome = str(a.body?.['outcome']);
  const said = a.soapFault
    ? `a SOAP Fault ${a.soapFault.faultcode}`
    : !a.body
      ? 'no paForNode response'
      : outcome === 'KO'
        ? `KO ${str(pick(a.body, 'fault.faultCode')) ?? '(no fault bean)'}`
        : (outcome ?? '(no outcome)');
  return { ok: false, what, mismatch: { type: 'transport', path: 'http', expected, actual: `${came}: ${said}`, hint: `${fix} (${id}: ${src(id)})` } };
}

function answerTime(a: StationAnswer): Verdict {
  const what = `${a.operation} is answered within the Nodo's timeout (${a.timeoutMs} ms)`;
  if (a.failure === 'timeout')
    return stationFix(
      'ANSWER-TIME',
      `an answer within ${a.timeoutMs} ms`,
      a,
      what,
      'time',
      `answer ${a.operation} within ${a.timeoutMs} ms: a real Nodo gives up and the PSP gets PPT_STAZIONE_INT_PA_TIMEOUT (SLA: 2 s)`,
      'transport',
    );
  if (a.failure === 'refused' || a.failure === 'reset')
    return stationFix(
      'ANSWER-TIME',
      'an answer',
      a,
      what,
      'time',
      `keep the connection open until the answer is sent: a real Nodo gets PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE`,
      'transport',
    );
  return { ok: true, what };
}

/**
 * Rules of the mock Nodo's check of a station answer that read the registry, which a station-suite
 * run derives from the profile: when the Nodo refuses by one of them, the profile may be what is
 * wrong (an IBAN or a beneficiary EC it does not list), not the station. Say both.
 */
const PROFILE_FED_NODO_RULES: Record<string, (file: string) => string> = {
  IBAN_REGISTERED: (file) =>
    `The mock Nodo knows the IBANs ${file} lists: if the IBAN named above is registered with pagoPA for its EC, add it to that EC's ibans in ${file}; otherwise fix the station (a real Nodo refuses an unregistered IBAN the same way) (IBAN-REGISTERED: ${src('IBAN-REGISTERED')})`,
  SECONDARY_EC_KNOWN: (file) =>
    `The mock Nodo knows the ECs ${file} lists: if the EC named above is a real beneficiary of the notice, add it under secondaryEcs in ${file} with its IBANs; otherwise fix the station's transfers (a real Nodo refuses an unknown beneficiary EC the same way) (BENEFICIARY-DECLARED: ${src('BENEFICIARY-DECLARED')})`,
};

/** What to say when the mock Nodo refused the station's answer by these semantic rules (ids of nodo/semantic.ts), if the profile may be at fault. */
export function nodoRefusalHint(refusedBy: readonly string[], profile: StationProfile): string | undefined {
  const hints = [...new Set(refusedBy)].map((r) => PROFILE_FED_NODO_RULES[r]?.(profile.file)).filter((h): h is string => h !== undefined);
  return hints.length ? hints.join(' ') : undefined;
}

type Judge = (a: StationAnswer, ctx: JudgeContext) => Verdict;

const JUDGES: Record<string, Judge> = {
  'HTTP-SOAP-ANSWER': (a) => transport(a),
  'ANSWER-TIME': (a) => answerTime(a),
  'NOTICE-PAYABLE': (a, ctx) => expectPayable('NOTICE-PAYABLE', a, ctx),
  'NOTICE-UNKNOWN': (a, ctx) =>
    expectKo('NOTICE-UNKNOWN', 'PAA_PAGAMENTO_SCONOSCIUTO', a, ctx, 'answer KO PAA_PAGAMENTO_SCONOSCIUTO for a notice the EC does not know, never OK'),
  'STANDIN-PROBE': (a, ctx) =>
    expectKo(
      'STANDIN-PROBE',
      'PAA_PAGAMENTO_SCONOSCIUTO',
      a,
      { ...ctx, binding: undefined },
      "answer the Nodo's stand-in probe 000000000000000000 KO PAA_PAGAMENTO_SCONOSCIUTO (HTTP 200): the Nodo ends stand-in only when at least half of its probes get this answer",
    ),
  'NOTICE-EXPIRED': (a, ctx) => expectKo('NOTICE-EXPIRED', 'PAA_PAGAMENTO_SCADUTO', a, ctx, 'answer KO PAA_PAGAMENTO_SCADUTO for an expired notice'),
  'NOTICE-CANCELLED': (a, ctx) => expectKo('NOTICE-CANCELLED', 'PAA_PAGAMENTO_ANNULLATO', a, ctx, 'answer KO PAA_PAGAMENTO_ANNULLATO for a cancelled notice'),
  'NOTICE-PAID': (a, ctx) => expectKo('NOTICE-PAID', 'PAA_PAGAMENTO_DUPLICATO', a, ctx, 'answer KO PAA_PAGAMENTO_DUPLICATO for a notice already paid'),
  'PAID-AFTER-RECEIPT': (a, ctx) => {
    const what = `${a.operation} of ${subject(ctx)} after its receipt was acquired is answered KO PAA_PAGAMENTO_DUPLICATO`;
    if (isKo(a, 'PAA_PAGAMENTO_DUPLICATO')) return { ok: true, what };
    return stationFix(
      'PAID-AFTER-RECEIPT',
      'KO PAA_PAGAMENTO_DUPLICATO',
      a,
      what,
      subject(ctx),
      `your station answered OK to the receipt of ${ctx.noticeNumber} earlier in this scenario, so it must now hold the notice as paid and answer KO PAA_PAGAMENTO_DUPLICATO: keep the position's state and close it on the receipt`,
    );
  },
  'HEADER-IDPA': (a, ctx) => header('HEADER-IDPA', 'PAA_ID_DOMINIO_ERRATO', 'idPA', a, ctx),
  'HEADER-IDBROKERPA': (a, ctx) => header('HEADER-IDBROKERPA', 'PAA_ID_INTERMEDIARIO_ERRATO', 'idBrokerPA', a, ctx),
  'HEADER-IDSTATION': (a, ctx) => header('HEADER-IDSTATION', 'PAA_STAZIONE_INT_ERRATA', 'idStation', a, ctx),
  'SYNTAX-INVALID': (a) => {
    const what = `an XSD-invalid ${a.operation} request is answered KO PAA_SINTASSI_EXTRAXSD`;
    if (isKo(a, 'PAA_SINTASSI_EXTRAXSD')) return { ok: true, what };
    return stationFix(
      'SYNTAX-INVALID',
      'KO PAA_SINTASSI_EXTRAXSD',
      a,
      what,
      'request',
      `validate every request against paForNode.xsd first and answer an invalid one with a valid ${a.response}, outcome KO, faultCode PAA_SINTASSI_EXTRAXSD (never OK, never a crash)`,
    );
  },
  'UNKNOWN-BODY': (a) => {
    const what = 'a Body element that is no paForNode request is refused with a SOAP Fault (HTTP 500)';
    const ok = (a.soapFault !== undefined && a.status === 500) || (a.body !== undefined && str(a.body['outcome']) === 'KO');
    if (ok) return { ok: true, what };
    return stationFix(
      'UNKNOWN-BODY',
      'a SOAP Fault with HTTP 500',
      a,
      what,
      'request',
      'refuse a Body element you do not implement with a SOAP 1.1 Fault (faultcode soap:Client, HTTP 500, text/xml): never an OK, an HTML page, a 404 or a dropped connection',
    );
  },
  'SOAP-PREFIXES': (a, ctx) =>
    sameAsUsual(
      'SOAP-PREFIXES',
      a,
      ctx,
      'read the message by namespace, not by prefix: any prefix bound to the SOAP 1.1 and paForNode namespaces, declared on the Envelope or on the element, is the same message',
    ),
  'SOAP-ACTION-FORMS': (a, ctx) =>
    sameAsUsual('SOAP-ACTION-FORMS', a, ctx, 'accept the SOAPAction header quoted ("paVerifyPaymentNotice") and unquoted (paVerifyPaymentNotice)'),
  'VERSION-ELEMENT': (a) => {
    const what = `${a.operation} is answered with ${a.response}`;
    if (a.element === a.response) return { ok: true, what };
    if (!a.element) return { na: 'no SOAP response to look at' };
    return stationFix(
      'VERSION-ELEMENT',
      a.response,
      a,
      what,
      'Body',
      `answer ${a.operation} with ${a.response}: the Nodo asks the primitive of the station's primitiveVersion (${a.operation.endsWith('V2') ? 2 : 1}) and refuses another element (PPT_STAZIONE_INT_PA_ERRORE_RESPONSE)`,
    );
  },
  'VERIFY-REQUIRED-TAGS': (a) => {
    const v = okBody(a);
    if (!v) return { na: 'not an OK verify' };
    const missing = ['paymentDescription', 'fiscalCodePA', 'companyName'].filter((k) => v[k] === undefined);
    const what = 'an OK paVerifyPaymentNoticeRes carries paymentDescription, fiscalCodePA and companyName';
    return missing.length
      ? dataFail(
          'VERIFY-REQUIRED-TAGS',
          what,
          'paVerifyPaymentNoticeRes',
          'paymentDescription, fiscalCodePA, companyName',
          `missing ${missing.join(', ')}`,
          `add ${missing.join(', ')} to the OK answer: the Nodo requires them although the XSD makes them optional (PPT_STAZIONE_INT_PA_ERRORE_RESPONSE)`,
        )
      : { ok: true, what };
  },
  'VERIFY-OPTION-EQ': (a) => {
    const v = okBody(a);
    if (!v) return { na: 'not an OK verify' };
    const opt = str(pick(v, 'paymentList.paymentOptionDescription.0.options'));
    const what = 'the verify payment option has options EQ';
    return opt === 'EQ'
      ? { ok: true, what }
      : dataFail(
          'VERIFY-OPTION-EQ',
          what,
          'paymentList.paymentOptionDescription.options',
          'EQ',
          opt ?? '(absent)',
          'answer options EQ: the only amount option pagoPA uses today',
        );
  },
  'POSTAL-ALLCCP': (a, ctx) => {
    const v = okBody(a);
    if (!v) return { na: 'not an OK verify' };
    const allCCP = str(pick(v, 'paymentList.paymentOptionDescription.0.allCCP'));
    const what = `the postal notice ${ctx.noticeNumber} is verified with allCCP true`;
    if (allCCP === 'true') return { ok: true, what };
    return eitherFix(
      'POSTAL-ALLCCP',
      'allCCP true',
      a,
      ctx,
      what,
      'answer allCCP true when every transfer of the notice can be credited to a postal account (a postal IBAN)',
    );
  },
  'AMOUNT-SUM': (a) => {
    const v = okBody(a);
    if (!v) return { na: 'not an OK paGetPayment' };
    const ts = transfersOf(v);
    const sum = ts.reduce((s, t) => s + cents(t['transferAmount']), 0);
    const amount = str(pick(v, 'data.paymentAmount'));
    const what = 'paymentAmount equals the sum of the transfer amounts';
    if (cents(amount) === sum) return { ok: true, what };
    return dataFail(
      'AMOUNT-SUM',
      what,
      'data.paymentAmount',
      `${fmt(sum)} (${ts.map((t) => str(t['transferAmount'])).join(' + ')})`,
      amount ?? '(absent)',
      'make paymentAmount the sum of transferAmount: the Nodo refuses the answer (PPT_STAZIONE_INT_PA_ERRORE_RESPONSE)',
    );
  },
  'AMOUNT-VERIFY': (a, ctx) => {
    const v = okBody(a);
    if (!v) return { na: 'not an OK paGetPayment' };
    const verified = str(pick(ctx.memory.verify, 'paymentList.paymentOptionDescription.0.amount'));
    if (verified === undefined) return { na: 'the station was not asked to verify the notice earlier in the case' };
    const amount = str(pick(v, 'data.paymentAmount'));
    const what = `paymentAmount of ${ctx.noticeNumber} equals the amount your station verified (${verified})`;
    if (cents(amount) === cents(verified)) return { ok: true, what };
    return dataFail(
      'AMOUNT-VERIFY',
      what,
      'data.paymentAmount',
      verified,
      amount ?? '(absent)',
      `your station verified ${ctx.noticeNumber} at ${verified} and asks ${amount ?? 'nothing'} in paGetPayment a moment later: the PSP shows the verified amount to the payer, so both must be the notice's current amount`,
    );
  },
  'CREDITOR-REFERENCE': (a, ctx) => {
    const v = okBody(a);
    if (!v) return { na: 'not an OK paGetPayment' };
    const iuv = str(pick(v, 'data.creditorReferenceId'));
    const expected = iuvOf(ctx.noticeNumber);
    const what = `creditorReferenceId is the IUV of ${ctx.noticeNumber} (${expected})`;
    return iuv === expected
      ? { ok: true, what }
      : dataFail(
          'CREDITOR-REFERENCE',
          what,
          'data.creditorReferenceId',
          expected,
          iuv ?? '(absent)',
          `answer creditorReferenceId ${expected}: the IUV is the notice number without the aux digit (and without the application code for aux 0); receipts and reporting flows are reconciled on it`,
        );
  },
  'BENEFICIARY-DECLARED': (a, ctx) => {
    const v = okBody(a);
    if (!v) return { na: 'not an OK paGetPayment' };
    const known = new Set([...ctx.profile.ecs, ...ctx.profile.secondaryEcs].map((e) => e.fiscalCode));
    const unknown = transfersOf(v)
      .map((t, i) => ({ i: i + 1, fc: str(t['fiscalCodePA']) ?? '' }))
      .filter((x) => x.fc !== ctx.fiscalCode && !known.has(x.fc));
    const what = "every transfer goes to the notice's EC or a declared secondary EC";
    if (!unknown.length) return { ok: true, what };
    const list = unknown.map((x) => `transfer ${x.i} → ${x.fc}`).join(', ');
    return dataFail(
      'BENEFICIARY-DECLARED',
      what,
      'data.transferList',
      `ECs of ${ctx.profile.file} (${[...known].join(', ')})`,
      list,
      `if ${unknown.map((x) => x.fc).join(', ')} is a real beneficiary of the notice, add it under secondaryEcs in ${ctx.profile.file} with its IBANs (the Nodo must know every beneficiary EC); otherwise fix the station's transfers`,
    );
  },
  'IBAN-REGISTERED': (a, ctx) => {
    const v = okBody(a);
    if (!v) return { na: 'not an OK paGetPayment' };
    const ecs = new Map([...ctx.profile.ecs, ...ctx.profile.secondaryEcs].map((e) => [e.fiscalCode, e]));
    const withIban = transfersOf(v)
      .map((t, i) => ({ i: i + 1, fc: str(t['fiscalCodePA']) ?? '', iban: str(t['IBAN'])?.toUpperCase() }))
      .filter((x) => x.iban !== undefined);
    const judged = withIban.filter((x) => (ecs.get(x.fc)?.ibans.length ?? 0) > 0);
    const unjudged = [...new Set(withIban.filter((x) => !judged.includes(x)).map((x) => x.fc))];
    if (!judged.length)
      return {
        na: 'no IBAN list to judge against',
        ...(unjudged.length
          ? {
              finding: {
                code: 'IBAN_NOT_CHECKED',
                message: `IBANs of EC ${unjudged.join(', ')} not checked: ${ctx.profile.file} lists no ibans for ${unjudged.length > 1 ? 'them' : 'it'}. Add the IBANs registered with pagoPA so that the suite checks them (IBAN-REGISTERED)`,
              },
            }
          : {}),
      };
    const bad = judged.filter((x) => !ecs.get(x.fc)!.ibans.includes(x.iban!));
    const what = "every transfer IBAN is registered for the transfer's EC";
    if (!bad.length) return { ok: true, what };
    const b = bad[0]!;
    return dataFail(
      'IBAN-REGISTERED',
      what,
      `data.transferList.transfer[${b.i}].IBAN`,
      `one of ${ecs.get(b.fc)!.ibans.join(', ')} (EC ${b.fc})`,
      bad.map((x) => `${x.iban} (transfer ${x.i}, EC ${x.fc})`).join(', '),
      `if ${b.iban} is registered for EC ${b.fc} with pagoPA, add it to its ibans in ${ctx.profile.file}; otherwise fix the station: a real Nodo refuses an unregistered IBAN (PPT_IBAN_NON_CENSITO or PPT_STAZIONE_INT_PA_ERRORE_RESPONSE)`,
    );
  },
  'TRANSFER-IDS': (a) => {
    const v = okBody(a);
    if (!v) return { na: 'not an OK paGetPayment' };
    const ids = transfersOf(v).map((t) => str(t['idTransfer']) ?? '');
    const what = 'each transfer has its own idTransfer';
    return new Set(ids).size === ids.length
      ? { ok: true, what }
      : dataFail(
          'TRANSFER-IDS',
          what,
          'data.transferList.transfer.idTransfer',
          'distinct values 1..5',
          ids.join(', '),
          'number the transfers 1, 2, ... (idTransfer identifies the transfer in the receipt and the reporting flow)',
        );
  },
  'MULTI-BENEFICIARY': (a, ctx) => {
    const v = okBody(a);
    if (!v) return { na: 'not an OK paGetPayment' };
    const ts = transfersOf(v);
    const secondary = ts.filter((t) => str(t['fiscalCodePA']) !== ctx.fiscalCode);
    const what = `the multi-beneficiary notice ${ctx.noticeNumber} returns 2 to 5 transfers, one at least to a secondary EC`;
    if (ts.length >= 2 && secondary.length >= 1) return { ok: true, what };
    return eitherFix(
      'MULTI-BENEFICIARY',
      '2-5 transfers with a secondary EC',
      { ...a },
      ctx,
      what,
      `return every transfer of the notice (got ${ts.length}, ${secondary.length} to another EC)`,
    );
  },
  'STAMP-TRANSFER': (a, ctx) => {
    const v = okBody(a);
    if (!v) return { na: 'not an OK paGetPayment' };
    const what = `the stamp notice ${ctx.noticeNumber} returns a transfer with richiestaMarcaDaBollo`;
    if (transfersOf(v).some((t) => t['richiestaMarcaDaBollo'] !== undefined)) return { ok: true, what };
    return eitherFix(
      'STAMP-TRANSFER',
      'a transfer with richiestaMarcaDaBollo',
      a,
      ctx,
      what,
      'return the digital stamp as a transfer with richiestaMarcaDaBollo (hashDocumento, tipoBollo, provinciaResidenza) instead of an IBAN',
    );
  },
  'GETPAYMENT-REPEATABLE': (a, ctx) => {
    const first = ctx.memory.getPayment;
    if (!first) return { na: 'no earlier paGetPayment answer in the case' };
    const what = `a second ${a.operation} of ${ctx.noticeNumber} is answered OK with the same data`;
    const v = okBody(a);
    if (!v)
      return stationFix(
        'GETPAYMENT-REPEATABLE',
        'OK with the same data',
        a,
        what,
        subject(ctx),
        `answer ${a.operation} again with the same data: the Nodo may ask it more than once for one notice (a retried activation) and the EC must not lock the position (#120)`,
      );
    const shape = (x: XmlObject) =>
      JSON.stringify({
        amount: pick(x, 'data.paymentAmount'),
        iuv: pick(x, 'data.creditorReferenceId'),
        transfers: transfersOf(x).map((t) => [t['idTransfer'], t['transferAmount'], t['fiscalCodePA'], t['IBAN']]),
      });
    if (shape(v) === shape(first)) return { ok: true, what };
    return dataFail(
      'GETPAYMENT-REPEATABLE',
      what,
      'data',
      shape(first),
      shape(v),
      'answer the same amount, IUV and transfers to every paGetPayment of a notice that was not paid in between',
    );
  },
  'SEND-FEE': (a, ctx) => {
    const v = okBody(a);
    if (!v) return { na: 'not an OK paGetPayment' };
    const what = `paGetPayment of ${ctx.noticeNumber} asks SEND's price and serves NOTIFICATION_FEE = totalPrice in data/metadata`;
    const price = ctx.sendPrice ?? { calls: 0 };
    if (price.calls === 0)
      return dataFail(
        'SEND-FEE',
        what,
        'SEND price API',
        `a call to GET <SEND>/delivery/v2.3/price/${ctx.fiscalCode}/${ctx.noticeNumber}`,
        'none while your station answered',
        `a SYNC station asks SEND's price at payment time and adds it to the amount; point your station's SEND base URL at the address check --send-port printed, or, if the notice is not linked to SEND in SYNC mode, fix notices.sendFee in ${ctx.profile.file}`,
      );
    if (price.totalPrice === undefined) return { na: "SEND's price API did not answer a price" };
    const fee = asArray(pick(v, 'data.metadata.mapEntry') as XmlObject | XmlObject[] | undefined).find((m) => m['key'] === 'NOTIFICATION_FEE');
    const actual = fee ? str(fee['value']) : undefined;
    if (actual === String(price.totalPrice)) return { ok: true, what };
    return dataFail(
      'SEND-FEE',
      what,
      'data.metadata.NOTIFICATION_FEE',
      String(price.totalPrice),
      actual ?? '(absent)',
      `put NOTIFICATION_FEE with the totalPrice SEND answered (${price.totalPrice}, eurocent, a string) in data/metadata, and add it to the amount: every receipt recipient reads the notification cost there`,
    );
  },
  'RECEIPT-DUPLICATE': (a, ctx) => {
    const what = `the same receipt of ${ctx.noticeNumber} sent again is answered KO PAA_RECEIPT_DUPLICATA`;
    if (isKo(a, 'PAA_RECEIPT_DUPLICATA')) return { ok: true, what };
    return stationFix(
      'RECEIPT-DUPLICATE',
      'KO PAA_RECEIPT_DUPLICATA',
      a,
      what,
      subject(ctx),
      'recognise a receipt already acquired (same receiptId for the same EC) and answer KO PAA_RECEIPT_DUPLICATA: never book it as a second payment',
    );
  },
  'RECEIPT-ALL-OPTIONAL': (a, ctx) =>
    receiptOk(
      'RECEIPT-ALL-OPTIONAL',
      a,
      ctx,
      'a receipt carrying every optional element of its version is answered OK',
      'accept every optional element of ctReceipt/ctReceiptV2 (payer, paymentNote, fee details, metadata, standIn, transfer companyName and metadata...): an unmarshalling error leaves receipts undelivered (link-it/govpay#860)',
    ),
  'RECEIPT-BROADCAST': (a, ctx) =>
    receiptOk(
      'RECEIPT-BROADCAST',
      a,
      ctx,
      `a broadcast receipt (payment of another EC, notice ${ctx.noticeNumber} you do not hold) is answered OK`,
      "accept receipts for notices you do not hold: as a broadcast station you receive the receipts of other stations' payments (link-it/govpay#625); store them, never answer PAA_PAGAMENTO_SCONOSCIUTO or a fault",
    ),
};

function receiptOk(id: string, a: StationAnswer, ctx: JudgeContext, what: string, fix: string): Verdict {
  const o = outcomeOf(a);
  if (o.outcome === 'OK') return { ok: true, what };
  return stationFix(id, 'OK', a, what, subject(ctx), fix);
}

function header(id: string, code: string, field: string, a: StationAnswer, ctx: JudgeContext): Verdict {
  const what = `${a.operation} with a ${field} that is not yours is answered KO ${code}`;
  if (isKo(a, code)) return { ok: true, what };
  return stationFix(
    id,
    `KO ${code}`,
    a,
    what,
    `request ${field}`,
    `check ${field} of every request against your configuration (${field === 'idPA' ? `the ECs you serve: ${ctx.profile.ecs.map((e) => e.fiscalCode).join(', ')}` : field === 'idBrokerPA' ? `your broker ${ctx.profile.station.idBrokerPA}` : `your station ${ctx.profile.station.idStation}`}) and answer KO ${code} on a mismatch, after the syntax check and before looking at the notice`,
  );
}

function sameAsUsual(id: string, a: StationAnswer, ctx: JudgeContext, fix: string): Verdict {
  const what = `${a.operation} of ${subject(ctx)} in another form is answered like the usual form (OK)`;
  const v = validResponse(a);
  if (v && v['outcome'] === 'OK') return { ok: true, what };
  return stationFix(id, 'OK, as to the usual form', a, what, subject(ctx), fix);
}

export function judge(ruleId: string, a: StationAnswer, ctx: JudgeContext): Verdict {
  const j = JUDGES[ruleId];
  if (!j) return { na: `rule ${ruleId} has no judge for station answers` };
  return j(a, ctx);
}

/** Rule ids that `stationCall` can judge (the scenario loader checks `rules:` against them). */
export const JUDGED_RULES: ReadonlySet<string> = new Set(Object.keys(JUDGES));
