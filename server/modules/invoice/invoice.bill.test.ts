import { describe, expect, it } from 'vitest';
import { SEED_HEADS } from '../../../shared/domain/invoice-engine.ts';
import { billNumber, isPanIndividual, planBill } from './invoice.bill.ts';

/**
 * The bill's amounts to the paisa (issue 17 item 3), on the seed heads: TDS 194C 1 % (individual /
 * HUF) or 2 % (others) on the amount excluding GST, GST TDS 1 % + 1 % when the contract value
 * exceeds ₹2.5 lakh, both rounded to the rupee; net payable; payees.
 */
const agency = { name: 'Narmada Manpower Services', bankAccount: '30211456789', ifsc: 'SBIN0001308' };
// Total ₹14,567.99 of which GST ₹2,222.32: the amount excluding GST is ₹12,345.67.
const base = { totalPaise: 1_456_799, gstPaise: 222_232, heads: SEED_HEADS, paymentMode: 'through_agency' as const, agency, workers: [] };
const amounts = (p: ReturnType<typeof planBill>) => Object.fromEntries(p.deductions.map((d) => [d.code, d.amountPaise]));

describe('the bill — deductions to the paisa', () => {
  it('a company (PAN 4th character C), contract at ₹2.5 lakh exactly: TDS 2 % only — ₹246.91 → ₹247; no GST TDS', () => {
    const p = planBill({ ...base, pan: 'AABCN1234F', contractValuePaise: 25_000_000 });
    expect(p.tdsBasePaise).toBe(1_234_567);
    expect(amounts(p)).toEqual({ TDS_194C: 24_700 });
    expect(p.deductionsPaise).toBe(24_700);
    expect(p.netPayablePaise).toBe(1_456_799 - 24_700);
    expect(p.payees).toEqual([{ kind: 'agency', detailId: null, resourceId: null, ...agency, amountPaise: 1_432_099 }]);
  });

  it('an individual (P) above ₹2.5 lakh by one paisa: TDS 1 % ₹123.46 → ₹123, CGST TDS ₹123, SGST TDS ₹123', () => {
    const p = planBill({ ...base, pan: 'BKRPS4321M', contractValuePaise: 25_000_001 });
    expect(amounts(p)).toEqual({ TDS_194C_IND: 12_300, GST_TDS_CGST: 12_300, GST_TDS_SGST: 12_300 });
    expect(p.netPayablePaise).toBe(1_456_799 - 36_900);
    for (const d of p.deductions) expect(d.basePaise).toBe(1_234_567);
  });

  it('a Hindu undivided family (H) pays at 1 %; a firm (F), trust (T) or company at 2 %', () => {
    expect(isPanIndividual('AAAHS1234K')).toBe(true);
    expect(isPanIndividual('AAAPS1234K')).toBe(true);
    for (const pan of ['AAAFS1234K', 'AAATS1234K', 'AAACS1234K']) expect(isPanIndividual(pan)).toBe(false);
  });

  it('the bill number: BL/<FY>/<invoice id> within 24 characters of [A-Za-z0-9/-]', () => {
    expect(billNumber(123, '2026-12-03')).toBe('BL/2627/0000123');
    expect(billNumber(9_999_999, '2027-03-31')).toMatch(/^[A-Za-z0-9/-]{1,24}$/);
  });
});

describe('the bill — direct payment', () => {
  const workers = [
    { detailId: 1, resourceId: 11, name: 'Asha', netWagePaise: 500_000, bankAccount: '111122223333', ifsc: 'SBIN0001308' },
    { detailId: 2, resourceId: 12, name: 'Ravi', netWagePaise: 400_001, bankAccount: '444455556666', ifsc: 'HDFC0000123' },
  ];

  it('each worker their net wage to their own account, the agency the remainder, adding up to the net payable', () => {
    const p = planBill({ ...base, pan: 'AABCN1234F', contractValuePaise: 0, paymentMode: 'direct', workers });
    expect(p.payees.map((x) => [x.kind, x.amountPaise])).toEqual([
      ['worker', 500_000],
      ['worker', 400_001],
      ['agency', 1_432_099 - 900_001],
    ]);
    expect(p.payees.reduce((a, x) => a + x.amountPaise, 0)).toBe(p.netPayablePaise);
  });

  it('refused when the workers’ wages exceed the net payable, or a worker has no account', () => {
    expect(() =>
      planBill({ ...base, pan: 'AABCN1234F', contractValuePaise: 0, paymentMode: 'direct', workers: [{ ...workers[0]!, netWagePaise: 1_432_100 }] }),
    ).toThrow(expect.objectContaining({ code: 'bill_payees_exceed_net' }));
    expect(() =>
      planBill({ ...base, pan: 'AABCN1234F', contractValuePaise: 0, paymentMode: 'direct', workers: [{ ...workers[0]!, bankAccount: null }] }),
    ).toThrow(expect.objectContaining({ code: 'bill_bank_account_missing' }));
  });
});
