/**
 * The catalogue of station rules: every check of the station suite names one of these ids
 * (stable: reports, CI gates and the broken-station catalogue grep them) and its pagoPA
 * source. Source keys are those of docs/sources.md ([ERR-N2EC], [SANP-PRIM], ...).
 */
import type { Check, Mismatch } from './expect.ts';

export interface StationRule {
  id: string;
  /** The rule as a station author's checklist item. */
  title: string;
  /** Where pagoPA says it (document key and section). */
  source: string;
  /** Rules this one holds only if they do: its failure after one of theirs is a knock-on (report/fold.ts). */
  premises?: string[];
}

const rule = (id: string, title: string, source: string, premises?: string[]): StationRule => ({ id, title, source, ...(premises ? { premises } : {}) });

export const STATION_RULES: readonly StationRule[] = [
  // transport and schema (checked on every direct call, the schema on every exchange)
  rule('XSD-ANSWER', 'every answer of the station is valid against paForNode.xsd', '[XSD-PA] paForNode.xsd; [ERR-RESP]; docs/primitives.md §8.1'),
  rule(
    'HTTP-SOAP-ANSWER',
    'a paForNode response (OK or KO) comes with HTTP 200 and Content-Type text/xml; a SOAP Fault with HTTP 500 and text/xml',
    'SOAP 1.1 §6 (HTTP binding); [WSDL-PA]; docs/primitives.md §1',
  ),
  rule(
    'ANSWER-TIME',
    "the station answers within the Nodo's timeout for the primitive (7 s verify and paGetPayment, 15 s paSendRT)",
    '[SANP-SLA-EC]; docs/primitives.md §12',
  ),
  // EC-PSP-01: notice states
  rule(
    'NOTICE-PAYABLE',
    'a payable notice is answered OK with its payment data (verify: one payment option; paGetPayment: data)',
    '[SANP-PRIM] paVerifyPaymentNotice, paGetPayment; docs/primitives.md §5.1-5.3',
  ),
  rule(
    'VERIFY-REQUIRED-TAGS',
    'an OK verify carries paymentDescription, fiscalCodePA and companyName (the XSD makes them optional, the Nodo requires them)',
    '[SANP-SYNC]; [SANP-PRIM]; docs/primitives.md §5.1',
  ),
  rule('VERIFY-OPTION-EQ', 'the verify payment option has options EQ (the only one used today)', '[SANP-PRIM]; docs/primitives.md §2 stAmountOption, §5.1'),
  rule('NOTICE-UNKNOWN', 'a notice the EC does not know is answered KO PAA_PAGAMENTO_SCONOSCIUTO', '[ERR-N2EC]; [ERR-EC]; docs/primitives.md §8.2, §8.4'),
  rule(
    'STANDIN-PROBE',
    "the Nodo's stand-in probe (notice 000000000000000000) is answered KO PAA_PAGAMENTO_SCONOSCIUTO",
    '[SANP-STANDIN]; docs/primitives.md §13',
  ),
  rule('NOTICE-EXPIRED', 'an expired notice is answered KO PAA_PAGAMENTO_SCADUTO', '[ERR-N2EC]; [GPD-PAY] PartnerService; docs/primitives.md §8.2, §8.4'),
  rule('NOTICE-CANCELLED', 'a cancelled notice is answered KO PAA_PAGAMENTO_ANNULLATO', '[ERR-N2EC]; [GPD-PAY] PartnerService; docs/primitives.md §8.2, §8.4'),
  rule(
    'NOTICE-PAID',
    'a notice already paid at the EC is answered KO PAA_PAGAMENTO_DUPLICATO',
    '[ERR-N2EC]; [GPD-PAY] PartnerService; docs/primitives.md §8.2, §8.4',
  ),
  rule(
    'POSTAL-ALLCCP',
    'a notice payable to a postal account is verified with allCCP true',
    '[XSD-PA] ctPaymentOptionDescriptionPA/allCCP; docs/primitives.md §5.1',
  ),
  // caller configuration and syntax
  rule('HEADER-IDPA', 'a request whose idPA is not an EC of the station is answered KO PAA_ID_DOMINIO_ERRATO', '[ERR-N2EC]; docs/primitives.md §5, §8.2, §8.4'),
  rule(
    'HEADER-IDBROKERPA',
    "a request whose idBrokerPA is not the station's broker is answered KO PAA_ID_INTERMEDIARIO_ERRATO",
    '[ERR-N2EC]; docs/primitives.md §5, §8.2, §8.4',
  ),
  rule(
    'HEADER-IDSTATION',
    'a request whose idStation is not the station is answered KO PAA_STAZIONE_INT_ERRATA',
    '[ERR-N2EC]; docs/primitives.md §5, §8.2, §8.4',
  ),
  rule(
    'SYNTAX-INVALID',
    "a request that is not valid against the XSD is answered KO PAA_SINTASSI_EXTRAXSD (in the operation's response element)",
    '[ERR-N2EC]; [ERR-FC]; docs/primitives.md §8.4, §17 item 17',
  ),
  rule(
    'UNKNOWN-BODY',
    'a Body element that is no paForNode request is refused with a SOAP Fault (HTTP 500), never answered OK, never left without an answer',
    'SOAP 1.1 §4.4, §6.2; docs/primitives.md §1',
  ),
  rule(
    'SOAP-PREFIXES',
    'a request written with other namespace prefixes (or the namespace declared on the Envelope) is answered like the usual form',
    'XML Namespaces 1.0 §3-5; [WSDL-PA] document/literal; docs/primitives.md §1',
  ),
  rule('SOAP-ACTION-FORMS', 'the SOAPAction header is accepted quoted and unquoted', 'SOAP 1.1 §6.1.1; docs/primitives.md §1'),
  // EC-PSP-02 / 02M: payment data
  rule(
    'VERSION-ELEMENT',
    "the station answers with the response element of the request's primitive version (paGetPaymentV2Response to paGetPaymentV2, paSendRTV2Response to paSendRTV2)",
    '[WSDL-PA]; [BO-STAZ]; docs/primitives.md §5.4, §5.7',
  ),
  rule('AMOUNT-SUM', 'paymentAmount equals the sum of the transfer amounts', '[SANP-PRIM] paGetPayment; docs/primitives.md §5.2'),
  rule('AMOUNT-VERIFY', 'paGetPayment asks the amount the station verified for the same notice', '[SANP-M3] phase 1-2; docs/primitives.md §3'),
  rule('CREDITOR-REFERENCE', 'creditorReferenceId is the IUV carried by the notice number', '[SACI-IUV]; docs/primitives.md §4'),
  rule(
    'BENEFICIARY-DECLARED',
    "every transfer goes to an EC the Nodo knows: the notice's EC or a declared secondary EC",
    '[SANP-MULTI]; docs/primitives.md §5.2, §10.1',
  ),
  rule(
    'IBAN-REGISTERED',
    "every transfer IBAN is registered for the transfer's EC",
    '[SANP-PRIM] transfer/IBAN; [ERR-NODO] PPT_IBAN_NON_CENSITO; docs/primitives.md §5.2, §17 item 11',
  ),
  rule('TRANSFER-IDS', 'each transfer has its own idTransfer', '[XSD-PA] stIdTransfer; docs/primitives.md §2, §5.2'),
  rule(
    'MULTI-BENEFICIARY',
    'a multi-beneficiary notice returns 2 to 5 transfers, at least one to a secondary EC',
    '[SANP-MULTI]; docs/primitives.md §5.2, §10.1',
  ),
  rule(
    'STAMP-TRANSFER',
    'a notice with a digital stamp returns a transfer with richiestaMarcaDaBollo (paGetPaymentV2)',
    '[SANP-BOLLO]; docs/primitives.md §5.3, §15',
  ),
  rule(
    'GETPAYMENT-REPEATABLE',
    'paGetPayment asked twice for one notice answers OK both times with the same data (the EC does not lock the position)',
    '[#120]; docs/primitives.md §3',
  ),
  rule(
    'ACTIVATE-VIA-NODO',
    "an activation through the Nodo (activatePaymentNoticeV2) is answered OK with the station's data, the Nodo calling the primitive of the station's version",
    '[SANP-M3] phase 2; [BO-STAZ]; docs/primitives.md §5.4, §6.3',
  ),
  rule(
    'SEND-FEE',
    "a SEND SYNC station asks SEND's price API while answering paGetPayment and serves NOTIFICATION_FEE = totalPrice (eurocent) in data/metadata",
    '[META-SEND]; [SEND-FAQ]; [SANP-ASYNC]; docs/primitives.md §14',
  ),
  // receipts
  rule(
    'RECEIPT-ACCEPTED',
    'the receipt the Nodo delivers after a payment is answered OK',
    '[SANP-SYNC]; [SANP-PRIM] paSendRT; docs/primitives.md §5.5-5.6, §10',
  ),
  rule(
    'PAID-AFTER-RECEIPT',
    'once its receipt is acquired the notice is answered KO PAA_PAGAMENTO_DUPLICATO (the station keeps state)',
    '[SANP-M3] phase 4; [GPD-PAY] PartnerService; docs/primitives.md §3, §8.4',
  ),
  rule(
    'RECEIPT-DUPLICATE',
    'the same receipt again is answered KO PAA_RECEIPT_DUPLICATA, not taken as a new payment',
    '[ERR-N2EC]; [GPD-PAY]; docs/primitives.md §8.2, §8.4, §10.2',
  ),
  rule(
    'RECEIPT-ALL-OPTIONAL',
    'a receipt carrying every optional element of its version is answered OK',
    '[XSD-PA] ctReceipt/ctReceiptV2; link-it/govpay#860; docs/primitives.md §5.5-5.7, §17 item 21',
  ),
  // stand-in (docs/aca-standin.md §3.4-3.5, §4.3)
  rule(
    'ACA-CONFERRED',
    'the EC confers its payable notices to ACA (paCreatePosition): ACA holds each one, VALID, at the amount the station verifies, payable in stand-in',
    '[SANP-SYNC]; [ACA-SVC]; docs/aca-standin.md §2',
  ),
  rule(
    'STANDIN-RECEIPT',
    "a stand-in receipt (standIn true) is answered OK whatever the notice's state at the station: unknown, paid, expired, cancelled, another amount (the station never served the payment; ACA may be stale)",
    '[SANP-STANDIN]; link-it/govpay#607; docs/aca-standin.md §3.4-3.5',
  ),
  rule(
    'STANDIN-PROBE-ENDS',
    "answering the Nodo's stand-in probes correctly ends stand-in (more than 6 positive probes in an hour, after more than an hour)",
    '[SANP-STANDIN]; [SIM] StationCalcService; docs/aca-standin.md §4.3',
    ['STANDIN-PROBE'],
  ),
  rule(
    'RECEIPT-BROADCAST',
    "a receipt for another EC's payment (broadcast) is answered OK, not rejected as unknown",
    '[SANP-RICONC]; link-it/govpay#625; docs/primitives.md §10.1, §17 item 22',
  ),
];

const BY_ID = new Map(STATION_RULES.map((r) => [r.id, r]));

export function stationRule(id: string): StationRule | undefined {
  return BY_ID.get(id);
}

/** A check of a station rule: named `RULE-ID: what`, carrying the rule id and its source. */
export function ruleCheck(id: string, what: string, mismatch: Mismatch | undefined, line?: number): Check {
  const r = BY_ID.get(id);
  return {
    passed: mismatch === undefined,
    name: `${id}: ${what}`,
    ...(line ? { line } : {}),
    ...(mismatch ? { mismatch } : {}),
    rule: id,
    ...(r ? { source: r.source } : {}),
    ...(mismatch && r?.premises ? { premises: r.premises } : {}),
  };
}
