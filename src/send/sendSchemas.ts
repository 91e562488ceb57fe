/** JSON schema (ajv 2020) of NewNotificationRequestV26, payment-related subset (docs/send.md §2). */
import { compileSchema } from '../rest/index.ts';

const pagoPa = {
  type: 'object',
  required: ['noticeCode', 'creditorTaxId', 'applyCost'],
  additionalProperties: false,
  properties: {
    noticeCode: { type: 'string', pattern: '^\\d{18}$' },
    creditorTaxId: { type: 'string', pattern: '^\\d{11}$' },
    applyCost: { type: 'boolean' },
    attachment: { type: 'object' },
  },
};

const f24 = {
  type: 'object',
  required: ['title', 'applyCost'],
  properties: { title: { type: 'string', minLength: 1 }, applyCost: { type: 'boolean' }, metadataAttachment: { type: 'object' } },
};

export const validateNewNotification = compileSchema({
  type: 'object',
  required: ['paProtocolNumber', 'subject', 'recipients', 'notificationFeePolicy'],
  properties: {
    paProtocolNumber: { type: 'string', minLength: 1 },
    idempotenceToken: { type: 'string', minLength: 1 },
    subject: { type: 'string', minLength: 1 },
    notificationFeePolicy: { enum: ['FLAT_RATE', 'DELIVERY_MODE'] },
    paFee: { type: 'integer', minimum: 0, maximum: 100 },
    vat: { type: 'integer', minimum: 0, maximum: 100 },
    pagoPaIntMode: { enum: ['NONE', 'SYNC', 'ASYNC'] },
    recipients: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['recipientType', 'taxId', 'denomination'],
        properties: {
          recipientType: { enum: ['PF', 'PG'] },
          taxId: { type: 'string', minLength: 11, maxLength: 16 },
          denomination: { type: 'string', minLength: 1 },
          payments: {
            type: 'array',
            items: { type: 'object', minProperties: 1, additionalProperties: false, properties: { pagoPa, f24 } },
          },
        },
      },
    },
  },
});
