import { expect } from 'chai';
import { applyPhase, costWithVat, feeOf, newCostItem, priceOf, totalPrice } from '../../src/send/costEngine.ts';

describe('send/cost engine (send.md §3.2, §4.1)', () => {
  it('digital delivery: sendFee 100 + paFee 100 = 200 eurocent', () => {
    expect(totalPrice(100, 22, 0)).to.equal(200);
  });

  it('two 890 paper sends of 969 and 963 with vat 22: 100 + 100 + round(1932 × 1.22) = 2557', () => {
    expect(totalPrice(100, 22, 969 + 963)).to.equal(2557);
  });

  it('rounds analog × (1 + vat/100) half-up', () => {
    expect(costWithVat(25, 22)).to.equal(31); // 30.5
    expect(costWithVat(5, 10)).to.equal(6); // 5.5
    expect(costWithVat(10, 22)).to.equal(12); // 12.2
    expect(costWithVat(0, 22)).to.equal(0);
  });

  it('phases: VALIDATION base, analog attempts add up, cancellation resets to 0', () => {
    const item = newCostItem(0, '77777777777', '301000000000000001', true, 100);
    expect(applyPhase(item, 'VALIDATION', 22)).to.equal(200);
    expect(applyPhase(item, 'SEND_ANALOG_DOMICILE_ATTEMPT_0', 22, 969)).to.equal(100 + 100 + 1182);
    expect(applyPhase(item, 'SEND_ANALOG_DOMICILE_ATTEMPT_1', 22, 963)).to.equal(2557);
    expect(applyPhase(item, 'SEND_SIMPLE_REGISTERED_LETTER', 22, 100)).to.equal(200 + Math.round(2032 * 1.22));
    expect(applyPhase(item, 'NOTIFICATION_CANCELLED', 22)).to.equal(0);
    expect(feeOf(item, 22)).to.equal(0);
  });

  it('price body: partial = sendFee + analog, total with paFee and VAT; 0/0 under FLAT_RATE or applyCost=false', () => {
    const item = newCostItem(0, '77777777777', '301000000000000001', true, 100);
    applyPhase(item, 'SEND_ANALOG_DOMICILE_ATTEMPT_0', 22, 1932);
    const n = { iun: 'IUN', policy: 'DELIVERY_MODE' as const, paFee: 100, vat: 22 };
    expect(priceOf(item, n)).to.deep.equal({ iun: 'IUN', partialPrice: 2032, totalPrice: 2557, vat: 22, paFee: 100, sendFee: 100, analogCost: 1932 });
    expect(priceOf(item, { ...n, policy: 'FLAT_RATE' })).to.include({ partialPrice: 0, totalPrice: 0 });
    const free = newCostItem(0, '77777777777', '301000000000000002', false, 100);
    expect(priceOf(free, n)).to.include({ partialPrice: 0, totalPrice: 0 });
  });
});
