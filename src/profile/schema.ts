/** JSON schema (2020-12) of the station profile (`station.yaml`); the loader adds the rules a schema cannot say. */
import { NOTICE_ROLES } from './model.ts';

const code = (digits: number) => ({ type: ['string', 'integer'], pattern: `^[0-9]{${digits}}$`, minimum: 0, maximum: 10 ** digits - 1 }) as const;
const twoDigits = { type: ['string', 'integer'], pattern: '^[0-9]{1,2}$', minimum: 0, maximum: 99 } as const;
const duration = { type: ['string', 'integer'], pattern: '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m)?\\s*$', minimum: 1 } as const;
const noticeNumber = { type: 'string', pattern: '^[0-9]{18}$' } as const;

const ec = {
  type: 'object',
  additionalProperties: false,
  required: ['fiscalCode'],
  properties: {
    fiscalCode: code(11),
    companyName: { type: 'string', minLength: 1, maxLength: 140 },
    segregationCodes: { type: 'array', items: twoDigits },
    applicationCodes: { type: 'array', items: twoDigits },
    auxDigit: { enum: [1, 2] },
    ibans: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 35 } },
    postalAccounts: { type: 'array', items: code(12) },
    broadcast: { type: 'boolean' },
  },
} as const;

const notice = {
  anyOf: [noticeNumber, { type: 'object', additionalProperties: false, required: ['noticeNumber'], properties: { noticeNumber, fiscalCode: code(11) } }],
} as const;

export const profileSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:pagopa-station-harness:station-profile',
  type: 'object',
  additionalProperties: false,
  required: ['station', 'ecs', 'notices'],
  properties: {
    station: {
      type: 'object',
      additionalProperties: false,
      required: ['url', 'idBrokerPA', 'idStation', 'primitiveVersion'],
      properties: {
        url: { type: 'string', pattern: '^https?://\\S+$' },
        idBrokerPA: { type: ['string', 'integer'], minLength: 1, maxLength: 35, minimum: 0 },
        idStation: { type: 'string', minLength: 1, maxLength: 35 },
        primitiveVersion: { enum: [1, 2] },
        timeouts: {
          type: 'object',
          additionalProperties: false,
          properties: { paVerifyPaymentNotice: duration, paGetPayment: duration, paSendRT: duration },
        },
      },
    },
    ecs: { type: 'array', minItems: 1, items: ec },
    secondaryEcs: { type: 'array', items: ec },
    send: { type: 'object', additionalProperties: false, properties: { sync: { type: 'boolean' } } },
    aca: { type: 'object', additionalProperties: false, properties: { confers: { type: 'boolean' }, url: { type: 'string', pattern: '^https?://\\S+$' } } },
    notices: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(NOTICE_ROLES.map((r) => [r, { type: 'array', items: notice }])),
    },
  },
} as const;
