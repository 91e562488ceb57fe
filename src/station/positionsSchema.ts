/**
 * JSON Schema (2020-12) of the reference station's positions file: station identities,
 * debt positions, fault injections and the spontaneous-payment catalogue. Scenario
 * files embed the same `positions` / `injections` items, so the item schemas are
 * exported on their own too. The format is documented in src/station/README.md.
 */

const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max });
const fiscalCode = { type: 'string', pattern: '^[0-9]{11}$' };
const amount = {
  anyOf: [
    { type: 'number', exclusiveMinimum: 0 },
    { type: 'string', pattern: '^[0-9]+(\\.[0-9]{1,2})?$' },
  ],
};
const duration = {
  anyOf: [
    { type: 'integer', minimum: 0 },
    { type: 'string', pattern: '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h|d)?\\s*$' },
  ],
};
const metadata = {
  type: 'object',
  maxProperties: 15,
  propertyNames: { minLength: 1, maxLength: 140 },
  additionalProperties: { anyOf: [{ type: 'string', minLength: 1, maxLength: 140 }, { type: 'number' }, { type: 'boolean' }] },
};
const operation = { enum: ['paVerifyPaymentNotice', 'paGetPayment', 'paGetPaymentV2', 'paSendRT', 'paSendRTV2', 'paDemandPaymentNotice'] };

export const noticeNumberSchema = {
  anyOf: [
    { type: 'string', pattern: '^[0-9]{18}$' },
    {
      type: 'object',
      additionalProperties: false,
      required: ['auxDigit', 'base'],
      properties: {
        auxDigit: { enum: [0, 1, 2, 3] },
        segregationCode: { type: 'string', pattern: '^[0-9]{2}$' },
        applicationCode: { type: 'string', pattern: '^[0-9]{2}$' },
        base: {
          anyOf: [
            { type: 'string', pattern: '^[0-9]{1,17}$' },
            { type: 'integer', minimum: 0 },
          ],
        },
      },
    },
  ],
};

export const stationSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['idStation', 'idBrokerPA', 'ecs'],
  properties: {
    idStation: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,35}$' },
    idBrokerPA: text(35),
    ecs: { type: 'array', minItems: 1, items: fiscalCode },
  },
};

export const transferSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['amount', 'remittanceInformation', 'category'],
  properties: {
    fiscalCode,
    companyName: text(140),
    amount,
    iban: text(35),
    postalIban: text(35),
    stamp: {
      type: 'object',
      additionalProperties: false,
      required: ['hashDocumento', 'provinciaResidenza'],
      properties: {
        hashDocumento: { type: 'string', pattern: '^.{4,72}$' },
        tipoBollo: { const: '01' },
        provinciaResidenza: { type: 'string', pattern: '^[A-Z]{2}$' },
      },
    },
    remittanceInformation: text(140),
    category: text(140),
    metadata,
  },
  anyOf: [{ required: ['iban'] }, { required: ['postalIban'] }, { required: ['stamp'] }],
};

export const debtorSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['fullName'],
  properties: {
    type: { enum: ['F', 'G'] },
    id: { type: 'string', minLength: 2, maxLength: 16 },
    fullName: text(70),
    streetName: text(70),
    civicNumber: text(16),
    postalCode: text(16),
    city: text(35),
    stateProvinceRegion: text(35),
    country: { type: 'string', pattern: '^[A-Z]{2}$' },
    email: { type: 'string', pattern: '^[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+(\\.[a-zA-Z0-9-]+)*$', maxLength: 256 },
  },
};

export const positionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['fiscalCode', 'noticeNumber', 'description', 'transfers'],
  properties: {
    fiscalCode,
    noticeNumber: noticeNumberSchema,
    station: { type: 'string', minLength: 1, maxLength: 35 },
    state: { enum: ['payable', 'paid', 'expired', 'cancelled', 'notYetPayable'] },
    amount,
    description: text(140),
    detailDescription: text(140),
    companyName: text(140),
    officeName: text(140),
    dueDate: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    retentionDate: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}' },
    lastPayment: { type: 'boolean' },
    debtor: debtorSchema,
    metadata,
    send: { type: 'boolean' },
    transfers: { type: 'array', minItems: 1, maxItems: 5, items: transferSchema },
    usedBy: {
      anyOf: [text(200), { type: 'array', minItems: 1, items: text(200) }],
      description: 'Documentation: the scenario ids that use this notice (the station ignores it; the suite test checks it against the scenarios).',
    },
  },
};

/**
 * A position written as a copy of another of the same document (`copyOf`: its notice number):
 * the source's fields, with the ones given here in their place (whole values: `transfers` replaces
 * the source's list). Only positions files and inline positions documents; NDJSON lines are whole positions.
 */
export const positionCopySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['copyOf', 'noticeNumber'],
  properties: {
    copyOf: { type: 'string', pattern: '^[0-9]{18}$' },
    ...positionSchema.properties,
  },
};

const actionObject = {
  type: 'object',
  minProperties: 1,
  additionalProperties: false,
  properties: {
    fault: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$' },
    faultString: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    mutate: { enum: ['remove', 'set', 'empty', 'duplicate', 'move'] },
    path: { type: 'string', minLength: 1 },
    value: { type: ['string', 'number', 'boolean'] },
    after: { type: 'string', minLength: 1 },
    before: { type: 'string', minLength: 1 },
    okWithFault: { anyOf: [{ const: true }, { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$' }] },
    respondAs: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$' },
    soapFault: { enum: ['Client', 'Server'] },
    amountMismatch: amount,
    wrongIban: text(35),
  },
};

export const injectionSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string', minLength: 1 },
    station: { type: 'string', minLength: 1 },
    operation,
    noticeNumber: { type: 'string', pattern: '^[0-9]{18}$' },
    times: { type: 'integer', minimum: 1 },
    delay: duration,
    action: {
      anyOf: [
        { enum: ['none', 'close', 'reset', 'hold', 'http500', 'malformed', 'koWithoutFault', 'okWithFault', 'soapFault', 'wrongIban', 'amountMismatch'] },
        actionObject,
      ],
    },
  },
  anyOf: [{ required: ['action'] }, { required: ['delay'] }],
};

export const serviceSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['idServizio', 'idSoggettoServizio', 'description', 'iban', 'category'],
  properties: {
    idServizio: { type: 'string', pattern: '^.{5}$' },
    idSoggettoServizio: { type: 'string', pattern: '^.{5}$' },
    fiscalCode,
    segregationCode: { type: 'string', pattern: '^[0-9]{2}$' },
    amount,
    maxAmount: amount,
    description: text(140),
    companyName: text(140),
    iban: text(35),
    category: text(140),
    xsd: { type: 'string', minLength: 1, description: 'The service XSD file (relative to this file) that datiSpecificiServizioRequest must be valid against.' },
    from: {
      type: 'object',
      additionalProperties: false,
      description: 'Where the new position takes its values in datiSpecificiServizioRequest: dotted element names below the root.',
      properties: { amount: text(200), debtorId: text(200), debtorName: text(200), description: text(200) },
    },
    example: {
      type: 'string',
      minLength: 1,
      description:
        'A service data document (XML text) this service accepts, checked at load; the explorer sends it in its demandPaymentNotice and paDemandPaymentNotice examples.',
    },
  },
};

/** The whole positions file. */
export const positionsSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:pagopa-station-harness:positions',
  type: 'object',
  additionalProperties: false,
  properties: {
    stations: { type: 'array', items: stationSchema },
    sendTimeout: duration,
    // A copy or a whole position: if/then/else, so that ajv reports the errors of the one the item is.
    // biome-ignore lint/suspicious/noThenProperty: `then` is the JSON Schema keyword, this object is never awaited
    positions: { type: 'array', items: { if: { type: 'object', required: ['copyOf'] }, then: positionCopySchema, else: positionSchema } },
    injections: { type: 'array', items: injectionSchema },
    services: { type: 'array', items: serviceSchema },
  },
};
