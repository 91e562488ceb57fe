/** JSON schemas (ajv 2020) of the GPD request bodies we accept: pagoPA GPD's PaymentPositionModel subset. */
import { compileSchema } from '../rest/index.ts';

const mapEntries = {
  type: 'array',
  maxItems: 10,
  items: {
    type: 'object',
    required: ['key', 'value'],
    additionalProperties: false,
    properties: { key: { type: 'string', minLength: 1, maxLength: 140 }, value: { type: 'string', maxLength: 140 } },
  },
};

const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})?)?$' };

const transfer = {
  type: 'object',
  required: ['idTransfer', 'amount', 'remittanceInformation', 'category'],
  additionalProperties: false,
  properties: {
    idTransfer: { enum: ['1', '2', '3', '4', '5'] },
    amount: { type: 'integer', minimum: 1 },
    organizationFiscalCode: { type: 'string', pattern: '^\\d{11}$' },
    companyName: { type: 'string', minLength: 1, maxLength: 140 },
    remittanceInformation: { type: 'string', minLength: 1, maxLength: 140 },
    category: { type: 'string', minLength: 1, maxLength: 140 },
    iban: { type: 'string', pattern: '^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$' },
    postalIban: { type: 'string', pattern: '^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$' },
    stamp: {
      type: 'object',
      required: ['hashDocument', 'stampType', 'provincialResidence'],
      additionalProperties: false,
      properties: {
        hashDocument: { type: 'string', minLength: 1, maxLength: 72 },
        stampType: { type: 'string', minLength: 2, maxLength: 2 },
        provincialResidence: { type: 'string', pattern: '^[A-Z]{2}$' },
      },
    },
    transferMetadata: mapEntries,
  },
};

const paymentOption = {
  type: 'object',
  required: ['iuv', 'amount', 'description', 'isPartialPayment', 'dueDate', 'transfer'],
  additionalProperties: false,
  properties: {
    iuv: { type: 'string', pattern: '^\\d{15,17}$' },
    nav: { type: 'string', pattern: '^\\d{18}$' },
    amount: { type: 'integer', minimum: 1 },
    description: { type: 'string', minLength: 1, maxLength: 140 },
    isPartialPayment: { type: 'boolean' },
    dueDate: date,
    retentionDate: date,
    fee: { type: 'integer', minimum: 0 },
    transfer: { type: 'array', minItems: 1, maxItems: 5, items: transfer },
    paymentOptionMetadata: {
      ...mapEntries,
      items: {
        ...mapEntries.items,
        properties: { ...mapEntries.items.properties, key: { type: 'string', minLength: 1, maxLength: 140, not: { const: 'NOTIFICATION_FEE' } } },
      },
    },
  },
};

export const validateDebtPosition = compileSchema({
  type: 'object',
  required: ['iupd', 'type', 'fiscalCode', 'fullName', 'companyName', 'paymentOption'],
  additionalProperties: false,
  properties: {
    iupd: { type: 'string', minLength: 1, maxLength: 50 },
    type: { enum: ['F', 'G'] },
    fiscalCode: { type: 'string', minLength: 1, maxLength: 35 },
    fullName: { type: 'string', minLength: 1, maxLength: 70 },
    companyName: { type: 'string', minLength: 1, maxLength: 140 },
    officeName: { type: 'string', minLength: 1, maxLength: 140 },
    email: { type: 'string', pattern: '^[^@\\s]+@[^@\\s]+$' },
    validityDate: date,
    switchToExpired: { type: 'boolean' },
    payStandIn: { type: 'boolean' },
    paymentOption: { type: 'array', minItems: 1, maxItems: 100, items: paymentOption },
  },
});

export const validateNotificationFee = compileSchema({
  type: 'object',
  required: ['notificationFee'],
  properties: { notificationFee: { type: 'integer', minimum: 0 } },
});
