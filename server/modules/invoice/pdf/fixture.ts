import { applyRate } from '../../../../shared/domain/invoice-engine.ts';
import { documentHash, type InvoiceDocument, type InvoiceDocumentLine } from '../invoice.document.ts';

/**
 * A sample invoice document for the renderer's tests and bench (bench/invoice-pdf.ts): Devanagari
 * names and posts, an agency whose name holds Typst markup characters, intra- or inter-state tax.
 * The per-worker figures are the spec's worked reference (unskilled ₹12,150, highly skilled
 * ₹16,494, paisa rounding); totals are summed here so every figure on the page adds up.
 */
const PEOPLE: { name: string; postEn: string; postHi: string; wage: number; epf: number; esic: number; bonus: number }[] = [
  { name: 'सुनीता कुमारी', postEn: 'Data Entry Operator', postHi: 'डाटा एंट्री ऑपरेटर', wage: 1_215_000, epf: 157_950, esic: 39_488, bonus: 101_210 },
  { name: 'Ramesh Kumar Shrivastava', postEn: 'Office Assistant', postHi: 'कार्यालय सहायक', wage: 1_649_400, epf: 195_000, esic: 53_606, bonus: 124_950 },
  { name: 'क्षितिज श्रीवास्तव', postEn: 'Multi-Tasking Staff', postHi: 'बहु-कार्य कर्मचारी (श्रमिक)', wage: 1_215_000, epf: 157_950, esic: 39_488, bonus: 101_210 },
];

export const SAMPLE_AGENCY_NAME = 'Shree #1 Services & Co. $ *Star* \\ "Quoted" [x] <y> @z _u_ = क्षेत्रीय';

export function sampleInvoiceDocument(opts: { resources?: number; interState?: boolean; cancelled?: boolean; arrears?: boolean } = {}): InvoiceDocument {
  const n = opts.resources ?? 3;
  const lines: InvoiceDocumentLine[] = Array.from({ length: n }, (_, i) => {
    const p = PEOPLE[i % PEOPLE.length] as (typeof PEOPLE)[number];
    return {
      name: i < PEOPLE.length ? p.name : `${p.name} ${i + 1}`,
      maskedAadhaar: `XXXX XXXX ${String(1000 + ((i * 7919) % 9000)).padStart(4, '0')}`,
      postEn: p.postEn,
      postHi: p.postHi,
      paidDays: 31,
      daysInMonth: 31,
      wagePaise: p.wage,
      epfPaise: p.epf,
      esicPaise: p.esic,
      bonusPaise: p.bonus,
      totalPaise: p.wage + p.epf + p.esic + p.bonus,
    };
  });
  const arrears = opts.arrears ? [{ month: '2025-09', labelEn: 'Minimum wage revision arrear', labelHi: 'न्यूनतम वेतन संशोधन बकाया', amountPaise: 45_000 }] : [];
  const subtotal = lines.reduce((s, l) => s + l.wagePaise + l.epfPaise + l.esicPaise, 0) + arrears.reduce((s, a) => s + a.amountPaise, 0);
  const serviceChargeBp = 385;
  // Every figure rounds as the invoice engine rounds it (integer paise, half up), never through floating point.
  const serviceCharge = Number(applyRate(subtotal, serviceChargeBp * 100, 'paisa_half_up'));
  const reimbursed = lines.reduce((s, l) => s + l.bonusPaise, 0);
  const taxable = subtotal + serviceCharge + reimbursed;
  const tax = (code: string, nameHi: string, ratePpm: number) => ({
    code,
    nameEn: code,
    nameHi,
    ratePpm,
    amountPaise: Number(applyRate(taxable, ratePpm, 'paisa_half_up')),
  });
  const taxLines = opts.interState ? [tax('IGST', 'आईजीएसटी', 180_000)] : [tax('CGST', 'सीजीएसटी', 90_000), tax('SGST', 'एसजीएसटी', 90_000)];
  const gross = taxable + taxLines.reduce((s, t) => s + t.amountPaise, 0);
  const total = Number(applyRate(gross, 1_000_000, 'rupee_half_up'));
  const content = {
    invoiceNo: 'SSC/2025-26/0042',
    invoiceDate: '2025-11-05',
    month: '2025-10',
    status: (opts.cancelled ? 'cancelled' : 'active') as InvoiceDocument['status'],
    agency: {
      name: SAMPLE_AGENCY_NAME,
      gstin: '23AAACS1234F1Z5',
      pan: 'AAACS1234F',
      address: '12, Arera Hills, Bhopal, Madhya Pradesh 462011 — 12, अरेरा हिल्स, भोपाल',
    },
    billTo: {
      departmentEn: 'Department of Labour',
      departmentHi: 'श्रम विभाग',
      officeEn: 'Regional Labour Office, Indore',
      officeHi: 'क्षेत्रीय श्रम कार्यालय, इंदौर',
      ddoCode: '2301004512',
    },
    contractNo: 'LAB/MP/2025/117',
    gemContractNo: 'GEMC-511687712345678',
    sacCode: '998519',
    lines,
    arrears,
    totals: {
      subtotalPaise: subtotal,
      serviceChargeBp,
      serviceChargePaise: serviceCharge,
      reimbursedPaise: reimbursed,
      taxablePaise: taxable,
      taxLines,
      roundOffPaise: total - gross,
      totalPaise: total,
    },
    creditNote: opts.cancelled ? { number: 'CN/2025-26/0003', date: '2025-11-20', reason: 'Duplicate of SSC/2025-26/0041 #2' } : null,
  };
  const contentHash = documentHash(content);
  return { ...content, verifyUrl: `https://roams.example/verify/invoice/${contentHash}`, contentHash };
}
