import { expect } from 'chai';
import { applyPhase, costWithVat, feeOf, newCostItem, priceOf, totalPrice } from '../../src/send/costEngine.ts';

describe('send/cost engine (docs/send.md §3.2, §4.1)', () => {
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

  it('rounds exactly where floating point does not: vat 13 on 50 is 56.5 → 57', () => {
    expect(costWithVat(50, 13)).to.equal(57);
    expect(costWithVat(50, 7)).to.equal(54); // 53.5
    expect(costWithVat(150, 1)).to.equal(152); // 151.5
    expect(costWithVat(1050, 1)).to.equal(1061); // 1060.5
  });

  // Reference: exact rational arithmetic on BigInt, rounding half-up as floor((2·num + den) / (2·den)).
  const exactHalfUp = (analog: number, vat: number): number => {
    const num = BigInt(analog) * BigInt(100 + vat);
    return Number((2n * num + 100n) / 200n);
  };

  it('table: every VAT rate 0..100 × amounts 0..3000 eurocent and large amounts agree with exact rational rounding', () => {
    const wrong: string[] = [];
    const amounts = [...Array.from({ length: 3001 }, (_, i) => i), 99_999, 123_457, 1_000_050, 99_999_999];
    for (let vat = 0; vat <= 100; vat++) {
      for (const analog of amounts) {
        const got = costWithVat(analog, vat);
        const want = exactHalfUp(analog, vat);
        if (got !== want && wrong.length < 10) wrong.push(`vat ${vat} on ${analog}: got ${got}, exact ${want}`);
      }
    }
    expect(wrong, wrong.join('; ')).to.deep.equal([]);
  });

  it('the price API total uses the exact rounding (100 + 100 + 57 for 50 eurocent of paper at vat 13)', () => {
    expect(totalPrice(100, 13, 50)).to.equal(257);
  });

  it('phases: VALIDATION base, analog attempts add up, cancellation resets to 0', () => {
    const item = newCostItem(0, '77777777777', '301000000000000001', true, 100);
    expect(applyPhase(item, 'VALIDATION', 22)).to.equal(200);
    expect(applyPhase(item, 'SEND_ANALOG_DOMICILE_ATTEMPT_0', 22, 969)).to.equal(100 + 100 + 1182);
    expect(applyPhase(item, 'SEND_ANALOG_DOMICILE_ATTEMPT_1', 22, 963)).to.equal(2557);
    expect(applyPhase(item, 'SEND_SIMPLE_REGISTERED_LETTER', 22, 100)).to.equal(200 + 2479); // 2032 × 1.22 = 2479.04
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
