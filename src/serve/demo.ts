/**
 * What the demo world holds besides its two YAML files, created at start (and again when the
 * explorer resets the world): the GPD-held notice of EC 55555555555, and the SEND notification
 * (SYNC) of notice 301000000000010353, so the reference station's price call finds a cost.
 */
import type { DebtPositionInput } from '../gpd/index.ts';
import type { World } from '../world.ts';

export const DEMO_GPD_EC = '55555555555';
export const DEMO_GPD_NOTICE = '301000000030016504';
export const DEMO_SEND_EC = '77777777777';
export const DEMO_SEND_NOTICE = '301000000000010353';

const gpdPosition: DebtPositionInput = {
  iupd: `IUPD-${DEMO_GPD_NOTICE}`,
  type: 'F',
  fiscalCode: 'BNCGNN80A41H501X',
  fullName: 'Giovanna Bianchi',
  companyName: 'Comune in GPD',
  paymentOption: [
    {
      iuv: DEMO_GPD_NOTICE.slice(1),
      nav: DEMO_GPD_NOTICE,
      amount: 8000,
      description: 'Retta asilo nido febbraio',
      isPartialPayment: false,
      dueDate: '2026-12-31',
      transfer: [{ idTransfer: '1', amount: 8000, remittanceInformation: 'Asilo nido febbraio', category: '0201102IM', iban: 'IT60X0542811101000000123456' }],
    },
  ],
};

/** Creates the demo's GPD position (demo registry) and SEND notification (demo positions); idempotent. */
export async function seedDemo(world: World, demo: { registry: boolean; positions: boolean }): Promise<string[]> {
  const problems: string[] = [];
  if (demo.registry && !world.gpd.store.list(DEMO_GPD_EC).length) {
    const created = world.gpd.createPosition(DEMO_GPD_EC, structuredClone(gpdPosition));
    if (!created.ok) problems.push(`Failed to create the demo GPD position ${DEMO_GPD_NOTICE}: ${JSON.stringify(created.problem)}`);
  }
  if (demo.positions && !world.send.service.listRequests().length) {
    const r = world.send.submit({
      paProtocolNumber: 'DEMO-2026-0001',
      subject: 'Verbale di contravvenzione',
      notificationFeePolicy: 'DELIVERY_MODE',
      paFee: 100,
      vat: 22,
      pagoPaIntMode: 'SYNC',
      recipients: [
        {
          recipientType: 'PF',
          taxId: 'RSSMRA80A01H501U',
          denomination: 'Mario Rossi',
          payments: [{ pagoPa: { noticeCode: DEMO_SEND_NOTICE, creditorTaxId: DEMO_SEND_EC, applyCost: true } }],
        },
      ],
    });
    if (!r.ok) problems.push(`Failed to create the demo SEND notification of ${DEMO_SEND_NOTICE}: ${r.detail}`);
    await world.send.settle();
  }
  return problems;
}
