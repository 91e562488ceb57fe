/**
 * The JSON schema (2020-12) of the mock Nodo's registry document (its format: src/nodo/README.md).
 * Shapes and value ranges only; the cross-references and rules between sections are checked by
 * registry.ts after the schema.
 */

/** Values of the configuration API's channel `payment_model` (docs/primitives.md §11). */
export const PAYMENT_MODELS = ['IMMEDIATE', 'IMMEDIATE_MULTIBENEFICIARY', 'DEFERRED', 'ACTIVATED_AT_PSP'] as const;
/** Payment types (activatePaymentNoticeV2 paymentMethod, nodeForPsp.xsd stPaymentMethodFee; docs/primitives.md §6.3). */
export const PAYMENT_TYPES = ['BBT', 'BP', 'AD', 'CP', 'PO', 'OBEP', 'JIF', 'MYBK', 'PPAL'] as const;

const code = { type: ['string', 'integer'], minimum: 0 } as const;
const fiscalCode = { type: ['string', 'integer'], pattern: '^[0-9]{11}$', minimum: 0, maximum: 99_999_999_999 } as const;
const twoDigits = { type: ['string', 'integer'], pattern: '^[0-9]{1,2}$', minimum: 0, maximum: 99 } as const;
const duration = { type: ['string', 'integer'], pattern: '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h|d)?\\s*$', minimum: 1 } as const;
const durationOrZero = { ...duration, minimum: 0 } as const;
const timeoutsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { paVerifyPaymentNotice: duration, paGetPayment: duration, paSendRT: duration, paDemandPaymentNotice: duration },
} as const;
const postalAccount = { type: ['string', 'integer'], pattern: '^[0-9]{12}$', minimum: 0, maximum: 999_999_999_999 } as const;
const text35 = { type: 'string', minLength: 1, maxLength: 35 } as const;
const five = { type: ['string', 'integer'], pattern: '^.{5}$', minimum: 0, maximum: 99_999 } as const;
const isoDate = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;

export const registrySchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:pagopa-station-harness:registry',
  type: 'object',
  additionalProperties: false,
  properties: {
    settings: {
      type: 'object',
      additionalProperties: false,
      properties: {
        useIdempotency: { type: 'boolean' },
        idempotencyKeyValidity: duration,
        tokenValidity: duration,
        expiryJobPeriod: durationOrZero,
        stationTimeouts: timeoutsSchema,
      },
    },
    creditorInstitutions: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['fiscalCode', 'businessName'],
        properties: {
          fiscalCode,
          businessName: { type: 'string', minLength: 1, maxLength: 140 },
          enabled: { type: 'boolean' },
          ibans: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 35 } },
          postalAccounts: { type: 'array', items: postalAccount },
          acaIban: { type: 'string', minLength: 1, maxLength: 35 },
        },
      },
    },
    brokers: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['brokerCode'],
        properties: { brokerCode: { ...code, maxLength: 35 }, description: { type: 'string' }, enabled: { type: 'boolean' } },
      },
    },
    stations: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['stationCode', 'brokerCode', 'endpoint'],
        properties: {
          stationCode: text35,
          brokerCode: { ...code, maxLength: 35 },
          enabled: { type: 'boolean' },
          version: { enum: [1, 2] },
          primitiveVersion: { enum: [1, 2] },
          endpoint: { type: 'string', pattern: '^(reference|gpd|https?://\\S+)$' },
          password: { type: 'string', minLength: 8, maxLength: 15 },
          timeouts: timeoutsSchema,
          flagStandIn: { type: 'boolean' },
          forceStandIn: { type: 'boolean' },
        },
      },
    },
    associations: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['fiscalCode', 'stationCode', 'auxDigit'],
        properties: {
          fiscalCode,
          stationCode: text35,
          auxDigit: { enum: [0, 1, 2, 3] },
          segregationCode: twoDigits,
          applicationCode: twoDigits,
          broadcast: { type: 'boolean' },
          enabled: { type: 'boolean' },
          spontaneousPayment: { type: 'boolean' },
          aca: { type: 'boolean' },
          standIn: { type: 'boolean' },
        },
      },
    },
    psps: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['pspCode', 'businessName'],
        properties: {
          pspCode: { ...code, maxLength: 35 },
          businessName: { type: 'string', minLength: 1, maxLength: 70 },
          fiscalCode: { ...code, maxLength: 70 },
          vatNumber: { ...code, maxLength: 20 },
          enabled: { type: 'boolean' },
        },
      },
    },
    pspBrokers: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['brokerPspCode'],
        properties: { brokerPspCode: { ...code, maxLength: 35 }, description: { type: 'string' }, enabled: { type: 'boolean' } },
      },
    },
    channels: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['channelCode', 'brokerPspCode', 'password'],
        properties: {
          channelCode: text35,
          brokerPspCode: { ...code, maxLength: 35 },
          pspCode: { ...code, maxLength: 35 },
          pspCodes: { type: 'array', minItems: 1, items: { ...code, maxLength: 35 } },
          enabled: { type: 'boolean' },
          password: { type: 'string', minLength: 8, maxLength: 15 },
          description: { type: 'string', minLength: 1, maxLength: 35 },
          primitiveVersion: { enum: [1, 2] },
          newFaultCode: { type: 'boolean' },
          paymentModel: { enum: [...PAYMENT_MODELS] },
          paymentTypes: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...PAYMENT_TYPES] } },
          flagStandIn: { type: 'boolean' },
        },
      },
    },
    services: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['idServizio', 'descrizioneServizio', 'xsdRiferimento', 'elencoSoggettiEroganti'],
        properties: {
          idServizio: five,
          descrizioneServizio: { type: 'string', minLength: 1, maxLength: 70 },
          categoria: text35,
          xsdRiferimento: text35,
          namespace: { type: 'string', minLength: 1 },
          elencoSoggettiEroganti: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['idSoggettoServizio', 'idDominio'],
              properties: {
                idSoggettoServizio: five,
                idDominio: fiscalCode,
                denominazioneEnteCreditore: { type: 'string', minLength: 1, maxLength: 70 },
                dataInizioValidita: isoDate,
                dataFineValidita: isoDate,
                commissione: { enum: ['Y', 'N'] },
                enabled: { type: 'boolean' },
              },
            },
          },
        },
      },
    },
  },
} as const;
