/** Creates a GPD position for a scenario (gpdPosition step kind; format: src/send/README.md "Scenario steps"). */
import type { DebtPositionInput } from '../../gpd/index.ts';
import { fiscalCode, noticeNumber, stepEc } from '../sendSteps.ts';
import type { StepKind } from '../step.ts';

interface GpdPositionParams {
  fiscalCode?: string;
  iupd?: string;
  noticeNumber?: string;
  amount?: number;
  description?: string;
  iban?: string;
  /** Extra transfer to another EC (multi-beneficiary): fiscal code and amount in eurocent. */
  secondary?: { fiscalCode: string; amount: number; iban: string };
  status?: 'draft' | 'valid' | 'invalid' | 'paid';
  notificationFee?: number;
  position?: DebtPositionInput;
}

function shorthandPosition(p: GpdPositionParams, iupd: string): DebtPositionInput {
  const nav = p.noticeNumber!;
  const amount = p.amount ?? 10000;
  const secondary = p.secondary;
  return {
    iupd,
    type: 'F',
    fiscalCode: 'RSSMRA80A01H501U',
    fullName: 'Mario Rossi',
    companyName: 'Ente Creditore',
    paymentOption: [
      {
        iuv: nav.slice(1),
        nav,
        amount: amount + (secondary?.amount ?? 0),
        description: p.description ?? 'Avviso di pagamento',
        isPartialPayment: false,
        dueDate: '2026-12-31',
        transfer: [
          {
            idTransfer: '1',
            amount,
            remittanceInformation: p.description ?? 'Avviso di pagamento',
            category: '0101101IM',
            iban: p.iban ?? 'IT60X0542811101000000123456',
          },
          ...(secondary
            ? [
                {
                  idTransfer: '2' as const,
                  amount: secondary.amount,
                  organizationFiscalCode: secondary.fiscalCode,
                  remittanceInformation: 'Quota',
                  category: '0101101IM',
                  iban: secondary.iban,
                },
              ]
            : []),
        ],
      },
    ],
  };
}

const gpdPosition: StepKind = {
  kind: 'gpdPosition',
  describe:
    'Creates a debt position in the GPD emulator (shorthand: noticeNumber + amount in eurocent, or a full GPD `position`), published unless status says otherwise',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      fiscalCode,
      iupd: { type: 'string', minLength: 1 },
      noticeNumber,
      amount: { type: 'integer', minimum: 1 },
      description: { type: 'string', minLength: 1, maxLength: 140 },
      iban: { type: 'string' },
      secondary: {
        type: 'object',
        required: ['fiscalCode', 'amount', 'iban'],
        additionalProperties: false,
        properties: { fiscalCode, amount: { type: 'integer', minimum: 1 }, iban: { type: 'string' } },
      },
      status: { enum: ['draft', 'valid', 'invalid', 'paid'] },
      notificationFee: { type: 'integer', minimum: 0 },
      position: { type: 'object' },
    },
  },
  label: (p) => `gpdPosition ${(p as GpdPositionParams).noticeNumber ?? (p as GpdPositionParams).position?.iupd ?? ''}`,
  check(p, ctx) {
    const q = p as GpdPositionParams;
    if (!q.noticeNumber && !q.position)
      return [ctx.issueAt([], 'SCENARIO_GPD', 'Failed to load the scenario: gpdPosition needs noticeNumber (shorthand) or position (full GPD body). Add one.')];
    return [];
  },
  async run(raw, ctx) {
    const p = ctx.resolve(raw) as GpdPositionParams;
    const org = stepEc(ctx, p.fiscalCode);
    const input = p.position ?? shorthandPosition(p, p.iupd ?? `IUPD-${p.noticeNumber}`);
    const gpd = ctx.world.gpd;
    const created = gpd.createPosition(org, input, { toPublish: p.status !== 'draft' });
    if (!created.ok) return { kind: 'error', message: `Failed to create the GPD position: ${created.problem.detail}` };
    const nav = created.value.paymentOption[0]!.nav;
    if (p.notificationFee !== undefined) {
      const r = gpd.store.setNotificationFee(org, nav, p.notificationFee);
      if (!r.ok) return { kind: 'error', message: `Failed to set the GPD notification fee: ${r.problem.detail}` };
    }
    if (p.status === 'invalid') gpd.store.invalidate(org, created.value.iupd);
    if (p.status === 'paid') gpd.store.markPaid(org, nav, { receiptId: ctx.nextId('setup-'), version: 'V2' });
    return { kind: 'done', value: gpd.store.get(org, created.value.iupd), checks: [] };
  },
};

export default gpdPosition;
