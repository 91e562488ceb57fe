/**
 * The JSON schema of paCreatePosition's `NewDebtPositionRequest` (docs/aca-standin.md §2.4,
 * [API] openapi/paCreatePosition.json, [ACA-SVC]): required fields, lengths, the amount
 * range in eurocent. Unknown fields are ignored as the service's JSON binding does (e.g. the
 * `companyName` of PR #999 that no current spec has).
 */
import { compileSchema } from '../rest/index.ts';

const text = (min: number, max: number) => ({ type: 'string', minLength: min, maxLength: max });

/** RFC 3339 date-time with an offset (`format: date-time`, bound to an OffsetDateTime). */
export const DATE_TIME = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$';

export const newDebtPositionRequestSchema = {
  type: 'object',
  required: ['paFiscalCode', 'entityType', 'entityFiscalCode', 'entityFullName', 'iuv', 'amount', 'description', 'expirationDate'],
  properties: {
    paFiscalCode: text(11, 11),
    entityType: { enum: ['F', 'G'] },
    entityFiscalCode: { type: 'string', minLength: 2 },
    entityFullName: text(1, 255),
    iuv: text(1, 255),
    nav: text(1, 255),
    amount: { type: 'integer', minimum: 0, maximum: 99_999_999_999 },
    description: text(1, 255),
    expirationDate: { type: 'string', pattern: DATE_TIME },
    iban: text(27, 27),
    postalIban: text(27, 27),
    switchToExpired: { type: 'boolean' },
    payStandIn: { type: 'boolean' },
  },
} as const;

export const validateNewDebtPositionRequest = compileSchema(newDebtPositionRequestSchema);

export interface NewDebtPositionRequest {
  paFiscalCode: string;
  entityType: 'F' | 'G';
  entityFiscalCode: string;
  entityFullName: string;
  iuv: string;
  nav?: string;
  amount: number;
  description: string;
  expirationDate: string;
  iban?: string;
  postalIban?: string;
  switchToExpired?: boolean;
  payStandIn?: boolean;
}
