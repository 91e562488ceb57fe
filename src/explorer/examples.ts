/**
 * A valid request for every operation of the four WSDLs, built from the data of the running
 * world (registry, positions, live sessions): the PSP and channel the Nodo accepts, a payable
 * notice of a reference station, the live paymentToken of that notice when there is one.
 * Every example validates against the XSDs (test/explorer/examples.test.ts proves it).
 */
import { routeNotice } from '../nodo/index.ts';
import { paSendRTReqBody, paSendRTV2RequestBody } from '../nodo/index.ts';
import type { ReceiptData } from '../nodo/index.ts';
import { wrap } from '../soap/index.ts';
import { OPERATIONS, PREFIX, type Interface, type OperationDef } from '../soap/index.ts';
import type { DemandService, Position } from '../station/index.ts';
import { formatCents } from '../station/index.ts';
import type { BuildObject } from '../xml/index.ts';
import { NS } from '../xml/index.ts';
import type { World } from '../world.ts';

export interface ExampleData {
  psp: { idPSP: string; idBrokerPSP: string; idChannel: string; password: string; companyName: string };
  pa: { idPA: string; idBrokerPA: string; idStation: string };
  notice: { fiscalCode: string; noticeNumber: string; amount: string; description: string; companyName: string; position?: Position };
  ccPost: string;
  paymentToken: string;
  /** The spontaneous-payment service of the examples, with the data it accepts (its `example`, else a placeholder). */
  service: { idServizio: string; idSoggettoServizio: string; data: string };
  today: Date;
}

const IFACE_NS: Record<Interface, string> = { paForNode: NS.paForNode, nodeForPsp: NS.nodeForPsp, nodeForPa: NS.ppt, pspForNode: NS.pspForNode };
const day = (d: Date, plus = 0) => new Date(d.getTime() + plus * 86_400_000).toISOString().slice(0, 10);
const dateTime = (d: Date) => d.toISOString().replace(/\.\d+Z$/, '');
const PLACEHOLDER_TOKEN = '0123456789abcdef0123456789abcdef';

/** The payment a pspNotifyPayment(V2) tells the PSP about: the token, the notice and its one transfer. */
const notifiedPayment = (d: ExampleData): BuildObject => ({
  paymentToken: d.paymentToken,
  paymentDescription: d.notice.description,
  fiscalCodePA: d.notice.fiscalCode,
  companyName: d.notice.companyName,
  creditorReferenceId: d.notice.noticeNumber.slice(1),
  debtAmount: d.notice.amount,
  transferList: {
    transfer: {
      idTransfer: '1',
      transferAmount: d.notice.amount,
      fiscalCodePA: d.notice.fiscalCode,
      IBAN: 'IT60X0542811101000000123456',
      remittanceInformation: 'TARI 2026',
    },
  },
});

/** The data the examples are made of, read from the world as it is now. */
export function exampleData(world: World, services: DemandService[] = []): ExampleData {
  const registry = world.nodo.registry();
  const channel = registry.channels.find((c) => c.enabled && c.primitiveVersion === 2) ?? registry.channels.find((c) => c.enabled) ?? registry.channels[0];
  const pspCode = channel?.pspCodes[0] ?? registry.psps[0]?.pspCode ?? '88888888888';
  const psp = registry.psps.find((p) => p.pspCode === pspCode);
  const routed = (p: Position) => {
    const r = routeNotice(registry, p.fiscalCode, p.noticeNumber);
    return r.ok ? r.route.station : undefined;
  };
  const positions = world.stations.positions().filter((p) => p.state === 'payable');
  const pick =
    positions.find((p) => !p.send && routed(p)?.endpoint === 'reference' && routed(p)?.primitiveVersion === 2) ??
    positions.find((p) => routed(p)?.endpoint === 'reference') ??
    positions[0];
  const station = pick ? routed(pick) : registry.stations.find((s) => s.endpoint === 'reference');
  const fiscalCode = pick?.fiscalCode ?? registry.creditorInstitutions[0]?.fiscalCode ?? '77777777777';
  const noticeNumber = pick?.noticeNumber ?? '301000000000010151';
  const session = world.nodo
    .sessions()
    .filter((s) => s.fiscalCode === fiscalCode && s.noticeNumber === noticeNumber && s.state === 'PAYING')
    .at(-1);
  const ec = registry.creditorInstitutions.find((c) => c.fiscalCode === fiscalCode);
  const service = services.find((x) => !x.fiscalCode || x.fiscalCode === fiscalCode) ?? services[0];
  return {
    psp: {
      idPSP: pspCode,
      idBrokerPSP: channel?.brokerPspCode ?? pspCode,
      idChannel: channel?.channelCode ?? `${pspCode}_01`,
      password: channel?.password ?? 'PLACEHOLDER',
      companyName: psp?.businessName ?? pspCode,
    },
    pa: { idPA: fiscalCode, idBrokerPA: station?.brokerCode ?? fiscalCode, idStation: station?.stationCode ?? `${fiscalCode}_01` },
    notice: {
      fiscalCode,
      noticeNumber,
      amount: pick ? formatCents(pick.transfers.reduce((s, t) => s + t.amountCents, 0)) : '100.00',
      description: pick?.description ?? 'Avviso di pagamento',
      companyName: pick?.companyName ?? ec?.businessName ?? 'Ente creditore',
      position: pick,
    },
    ccPost: ec?.postalAccounts[0] ?? '000012345678',
    paymentToken: session?.paymentToken ?? PLACEHOLDER_TOKEN,
    service: {
      idServizio: service?.idServizio ?? '00001',
      idSoggettoServizio: service?.idSoggettoServizio ?? '00001',
      data: service?.example ?? '<service><id>00001</id></service>',
    },
    today: world.clock.now(),
  };
}

const pspIds = (d: ExampleData) => ({ idPSP: d.psp.idPSP, idBrokerPSP: d.psp.idBrokerPSP, idChannel: d.psp.idChannel, password: d.psp.password });
const paIds = (d: ExampleData) => ({ idPA: d.pa.idPA, idBrokerPA: d.pa.idBrokerPA, idStation: d.pa.idStation });
const qrCode = (d: ExampleData) => ({ fiscalCode: d.notice.fiscalCode, noticeNumber: d.notice.noticeNumber });
const idempotencyKey = (d: ExampleData) => `${d.psp.idPSP.replace(/[^A-Za-z0-9]/g, '').slice(0, 18)}_${String(d.today.getTime()).slice(-10)}`;
const details = (d: ExampleData) => ({
  paymentMethod: 'creditCard',
  paymentChannel: 'app',
  fee: '1.00',
  applicationDate: day(d.today),
  transferDate: day(d.today, 1),
});
const debtor = { uniqueIdentifier: { entityUniqueIdentifierType: 'F', entityUniqueIdentifierValue: 'RSSMRA80A01H501U' }, fullName: 'Mario Rossi' };
const base64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** A receipt as the Nodo would send it for the example notice. */
function receiptData(d: ExampleData): ReceiptData {
  const transfers = d.notice.position?.transfers ?? [
    {
      fiscalCode: d.notice.fiscalCode,
      amountCents: 10000,
      iban: 'IT60X0542811101000000123456',
      remittanceInformation: 'TARI 2026',
      category: '0101101IM',
      metadata: [],
    },
  ];
  return {
    input: {
      paymentToken: d.paymentToken,
      qrCode: qrCode(d),
      servedBy: { ...d.pa, primitiveVersion: 2 },
      payment: {
        creditorReferenceId: d.notice.noticeNumber.slice(1),
        paymentAmount: d.notice.amount,
        dueDate: d.notice.position?.dueDate ?? day(d.today, 30),
        description: d.notice.description,
        companyName: d.notice.companyName,
        debtor,
        transferList: {
          transfer: transfers.map((t, i) => ({
            idTransfer: String(i + 1),
            transferAmount: formatCents(t.amountCents),
            fiscalCodePA: t.fiscalCode,
            ...((t.iban ?? t.postalIban) ? { IBAN: t.iban ?? t.postalIban } : {}),
            remittanceInformation: t.remittanceInformation,
            transferCategory: t.category,
          })),
        },
      },
      psp: { idPSP: d.psp.idPSP, idBrokerPSP: d.psp.idBrokerPSP, idChannel: d.psp.idChannel },
      outcome: { ...details(d), paymentDateTime: dateTime(d.today) },
    },
    psp: { idPSP: d.psp.idPSP, idChannel: d.psp.idChannel, PSPCompanyName: d.psp.companyName, channelDescription: 'app' },
    companyName: d.notice.companyName,
  };
}

/** The caller of the nodeForPsp operations with Italian element names (nodoPerPsp.xsd, catalogue). */
const identificativiPsp = (d: ExampleData): BuildObject => ({
  identificativoPSP: d.psp.idPSP,
  identificativoIntermediarioPSP: d.psp.idBrokerPSP,
  identificativoCanale: d.psp.idChannel,
  password: d.psp.password,
});

/** The Body child's fields (schema order) of each operation's request. */
const BODIES: Record<string, (d: ExampleData) => BuildObject> = {
  verifyPaymentNotice: (d) => ({ ...pspIds(d), qrCode: qrCode(d) }),
  verificaBollettino: (d) => ({ ...pspIds(d), ccPost: d.ccPost, noticeNumber: d.notice.noticeNumber }),
  activatePaymentNotice: (d) => ({ ...pspIds(d), idempotencyKey: idempotencyKey(d), qrCode: qrCode(d), expirationTime: 1_800_000, amount: d.notice.amount }),
  activatePaymentNoticeV2: (d) => ({ ...pspIds(d), idempotencyKey: idempotencyKey(d), qrCode: qrCode(d), expirationTime: 1_800_000, amount: d.notice.amount }),
  sendPaymentOutcome: (d) => ({ ...pspIds(d), paymentToken: d.paymentToken, outcome: 'OK', details: details(d) }),
  sendPaymentOutcomeV2: (d) => ({ ...pspIds(d), paymentTokens: { paymentToken: d.paymentToken }, outcome: 'OK', details: details(d) }),
  demandPaymentNotice: (d) => ({ ...pspIds(d), idSoggettoServizio: d.service.idSoggettoServizio, datiSpecificiServizio: base64(d.service.data) }),
  paVerifyPaymentNotice: (d) => ({ ...paIds(d), qrCode: qrCode(d) }),
  paGetPayment: (d) => ({ ...paIds(d), qrCode: qrCode(d), amount: d.notice.amount, transferType: undefined }),
  paGetPaymentV2: (d) => ({ ...paIds(d), qrCode: qrCode(d), amount: d.notice.amount }),
  paSendRT: (d) => stripRoot(paSendRTReqBody(receiptData(d), d.pa)),
  paSendRTV2: (d) => stripRoot(paSendRTV2RequestBody(receiptData(d), d.pa)),
  paDemandPaymentNotice: (d) => ({
    ...paIds(d),
    idServizio: d.service.idServizio,
    idSoggettoServizio: d.service.idSoggettoServizio,
    datiSpecificiServizioRequest: base64(d.service.data),
  }),
  nodoChiediCatalogoServiziV2: (d) => ({ ...identificativiPsp(d) }),
  nodoInviaFlussoRendicontazione: (d) => ({
    ...identificativiPsp(d),
    identificativoDominio: d.pa.idPA,
    identificativoFlusso: `${day(d.today)}${d.psp.idPSP}-0001`,
    dataOraFlusso: dateTime(d.today),
    xmlRendicontazione: base64('<FlussoRiversamento/>'),
  }),
  nodoChiediTemplateInformativaPSP: (d) => ({ ...identificativiPsp(d) }),
  nodoChiediInformativaPA: (d) => ({ ...identificativiPsp(d), identificativoDominio: d.pa.idPA }),
  nodoChiediElencoFlussiRendicontazione: (d) => ({
    identificativoIntermediarioPA: d.pa.idBrokerPA,
    identificativoStazioneIntermediarioPA: d.pa.idStation,
    password: 'PLACEHOLDER',
    identificativoDominio: d.pa.idPA,
  }),
  nodoChiediFlussoRendicontazione: (d) => ({
    identificativoIntermediarioPA: d.pa.idBrokerPA,
    identificativoStazioneIntermediarioPA: d.pa.idStation,
    password: 'PLACEHOLDER',
    identificativoDominio: d.pa.idPA,
    identificativoFlusso: `${day(d.today)}${d.psp.idPSP}-0001`,
  }),
  pspNotifyPayment: (d) => ({
    idPSP: d.psp.idPSP,
    idBrokerPSP: d.psp.idBrokerPSP,
    idChannel: d.psp.idChannel,
    ...notifiedPayment(d),
    creditCardPayment: {
      rrn: '123456789012',
      outcomePaymentGateway: '00',
      totalAmount: d.notice.amount,
      fee: '1.00',
      timestampOperation: dateTime(d.today),
      authorizationCode: '123456',
    },
  }),
  pspNotifyPaymentV2: (d) => ({
    idPSP: d.psp.idPSP,
    idBrokerPSP: d.psp.idBrokerPSP,
    idChannel: d.psp.idChannel,
    transactionId: '1234567890',
    totalAmount: d.notice.amount,
    fee: '1.00',
    timestampOperation: dateTime(d.today),
    paymentList: {
      payment: {
        ...notifiedPayment(d),
      },
    },
    additionalPaymentInformations: {},
  }),
};

/** The receipt builders return the whole Body child; the examples want its fields. */
function stripRoot(built: ReturnType<typeof paSendRTReqBody>): BuildObject {
  if (!built.ok) return { note: built.reason };
  const root = Object.values(built.body)[0] as BuildObject;
  return Object.fromEntries(Object.entries(root).filter(([k]) => !k.startsWith('@_')));
}

/** The SOAP envelope of one operation's example request. */
export function exampleEnvelope(op: OperationDef, d: ExampleData): string {
  const fields = BODIES[op.name]?.(d) ?? {};
  // nodeForPsp.wsdl also binds operations of nodoPerPsp.xsd: the element's own namespace decides.
  const prefix = op.ns === NS.ppt ? PREFIX.nodeForPa : PREFIX[op.iface];
  return wrap({ [`${prefix}:${op.request}`]: { [`@_xmlns:${prefix}`]: op.ns ?? IFACE_NS[op.iface], ...fields } });
}

/** Every operation with its example, in the order of the operation table. */
export function examples(world: World, services: DemandService[] = []): Array<{ operation: OperationDef; envelope: string }> {
  const d = exampleData(world, services);
  return OPERATIONS.map((operation) => ({ operation, envelope: exampleEnvelope(operation, d) }));
}
