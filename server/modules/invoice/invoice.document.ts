import { createHash } from 'node:crypto';

/**
 * What an invoice PDF shows (spec 06 "The invoice document"), assembled by the invoice module and
 * rendered by `pdf/render.ts`. Bilingual: every label is printed in Hindi and English; names that
 * exist in both languages carry both. Money in integer paise; dates 'YYYY-MM-DD' (IST).
 */
export type InvoiceDocument = {
  invoiceNo: string;
  invoiceDate: string;
  /** The wage month, 'YYYY-MM'. */
  month: string;
  status: 'active' | 'cancelled';
  agency: { name: string; gstin: string; pan: string; address: string };
  billTo: { departmentEn: string; departmentHi: string; officeEn: string; officeHi: string; ddoCode: string };
  contractNo: string;
  gemContractNo: string;
  /** Services Accounting Code of the supply (manpower supply). */
  sacCode: string;
  lines: InvoiceDocumentLine[];
  /**
   * Arrears (+) and recoveries (−) of earlier months, each naming its month; also recovery balances
   * brought forward (−) and carried forward to the next invoice (+), their labels saying so.
   */
  arrears: { month: string; labelEn: string; labelHi: string; amountPaise: number }[];
  totals: {
    subtotalPaise: number;
    serviceChargeBp: number;
    serviceChargePaise: number;
    reimbursedPaise: number;
    taxablePaise: number;
    taxLines: { code: string; nameEn: string; nameHi: string; ratePpm: number; amountPaise: number }[];
    roundOffPaise: number;
    totalPaise: number;
  };
  /** When cancelled: the credit note that reverses it. */
  creditNote: { number: string; date: string; reason: string } | null;
  /** The public page the QR code opens (carries the content hash). */
  verifyUrl: string;
  /** SHA-256 (hex) of the document's content (`documentHash`): what the public page confirms. */
  contentHash: string;
};

export type InvoiceDocumentLine = {
  name: string;
  /** 'XXXX XXXX 1234' — never the full number. */
  maskedAadhaar: string;
  postEn: string;
  postHi: string;
  paidDays: number;
  daysInMonth: number;
  wagePaise: number;
  /** Employer EPF + admin charges + EDLI. */
  epfPaise: number;
  esicPaise: number;
  bonusPaise: number;
  /** Wage + employer heads + bonus for this worker. */
  totalPaise: number;
};

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/**
 * SHA-256 of the document's content: every field except the verification URL, the hash itself and
 * the status (a cancellation must not make a genuine invoice look altered), in canonical JSON.
 */
export function documentHash(doc: Omit<InvoiceDocument, 'verifyUrl' | 'contentHash'> & Partial<Pick<InvoiceDocument, 'verifyUrl' | 'contentHash'>>): string {
  const { verifyUrl: _u, contentHash: _h, status: _s, creditNote: _c, ...content } = doc;
  return createHash('sha256').update(canonical(content)).digest('hex');
}
