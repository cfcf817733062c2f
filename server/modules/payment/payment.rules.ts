/**
 * Pure rules of payments (spec 06 "Verification, approval, bill, payment", "Who pays the worker";
 * issue 17): reading a treasury file's cells, the checks of each payment row, a worker's credit
 * flag and the wage due date. No database here; the service gives the facts.
 */

/** Agencies with at least this many workers on their rolls pay by the 10th, others by the 7th (Payment of Wages Act, s. 5). */
export const LARGE_AGENCY_WORKERS = 1000;

/** The last day wages of `month` (YYYY-MM-01) may be paid: the 7th or 10th of the next month. */
export function wageDueDate(month: string, workersOnRolls: number): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const ny = m === 12 ? y + 1 : y;
  const nm = m === 12 ? 1 : m + 1;
  const day = workersOnRolls >= LARGE_AGENCY_WORKERS ? 10 : 7;
  return `${ny}-${String(nm).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Whole days from `a` to `b` (ISO dates); negative when b is before a. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** A worker's credits against the net wage. */
export function creditFlag(netWagePaise: number, creditedPaise: number): 'ok' | 'short' | 'missing' | 'over' {
  if (creditedPaise <= 0) return netWagePaise > 0 ? 'missing' : 'ok';
  if (creditedPaise < netWagePaise) return 'short';
  if (creditedPaise > netWagePaise) return 'over';
  return 'ok';
}

/**
 * Rupees as the treasury writes them ("12,345.50", "12345", "₹ 1,00,000.5") → paise; null when it
 * is not an amount. The sign is kept, so a negative amount can be refused for what it is.
 */
export function rupeesToPaise(text: string): number | null {
  const s = text.replace(/[₹\s]/g, '').replace(/^Rs\.?/i, '');
  const m = /^(-?)(\d{1,3}(?:,\d{2,3})*|\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const rupees = Number(m[2]!.replace(/,/g, ''));
  const paise = Number((m[3] ?? '').padEnd(2, '0'));
  const v = rupees * 100 + paise;
  if (!Number.isSafeInteger(v)) return null;
  return m[1] === '-' ? -v : v;
}

/** A date as a file holds it (YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY) → ISO, or null when it is no real date. */
export function fileDate(text: string): string | null {
  const s = text.trim();
  let y: number;
  let mo: number;
  let d: number;
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else {
    m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(s);
    if (!m) return null;
    [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  }
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return dt.toISOString().slice(0, 10);
}

export const UTR_PATTERN = /^[A-Z0-9]{6,22}$/;

/** What the service knows of one payee line when checking rows. */
export type PayeeFacts = {
  payeeId: number;
  seq: number;
  bankAccount: string;
  amountPaise: number;
  paidPaise: number;
  /** UTRs already credited on this line, with the credit's id and amount and whether it was returned. */
  credits: Map<string, { id: number; amountPaise: number; returned: boolean }>;
};
export type BillFacts = { billId: number; billNo: string; status: string; sentOn: string | null; payees: PayeeFacts[] };

export type PaymentRowIn = { billNo: string; payee: string; payDate: string; utr: string; amount: string; status: string };
export type RowError = { field: string; code: string };
export type CheckedRow =
  | { ok: true; billId: number; payeeId: number; payDate: string; utr: string; amountPaise: number; status: 'credited' | 'returned'; reversesId: number | null }
  | { ok: false; errors: RowError[]; amountPaise: number | null };

/**
 * Checks payment rows in file order against the bills' facts, each row also against the rows
 * before it (a UTR twice in one file, two rows that together pay more than is payable). Every
 * error of a row is reported, not the first only. `bills` are those the caller may reach.
 */
export function checkPaymentRows(rows: readonly PaymentRowIn[], bills: ReadonlyMap<string, BillFacts>, today: string): CheckedRow[] {
  const pending = new Map<number, number>(); // payeeId → paise added by earlier good rows
  const seenUtr = new Set<string>(); // payeeId:utr:status of earlier rows
  return rows.map((r): CheckedRow => {
    const errors: RowError[] = [];
    const status = r.status.trim().toLowerCase() || 'credited';
    if (status !== 'credited' && status !== 'returned') errors.push({ field: 'status', code: 'payment_status_invalid' });
    const amount = rupeesToPaise(r.amount);
    if (amount === null) errors.push({ field: 'amount', code: 'amount_invalid' });
    else if (amount <= 0) errors.push({ field: 'amount', code: 'amount_not_positive' });
    const date = fileDate(r.payDate);
    if (date === null) errors.push({ field: 'payDate', code: 'date_invalid' });
    else if (date > today) errors.push({ field: 'payDate', code: 'date_in_future' });
    const utr = r.utr.trim().toUpperCase();
    if (!UTR_PATTERN.test(utr)) errors.push({ field: 'utr', code: 'utr_invalid' });
    const bill = bills.get(r.billNo.trim());
    let payee: PayeeFacts | undefined;
    if (!bill) errors.push({ field: 'billNo', code: 'bill_unknown' });
    else {
      if (bill.status !== 'acknowledged') errors.push({ field: 'billNo', code: 'bill_not_acknowledged' });
      const p = r.payee.trim();
      payee = /^\d{1,5}$/.test(p) ? bill.payees.find((x) => x.seq === Number(p)) : bill.payees.find((x) => x.bankAccount === p);
      if (!payee) errors.push({ field: 'payee', code: 'payee_unknown' });
      if (date && bill.sentOn && date < bill.sentOn) errors.push({ field: 'payDate', code: 'date_before_bill' });
    }
    let reversesId: number | null = null;
    if (payee && UTR_PATTERN.test(utr)) {
      const tag = `${payee.payeeId}:${utr}:${status}`;
      const earlier = payee.credits.get(utr);
      if (seenUtr.has(tag)) errors.push({ field: 'utr', code: 'utr_duplicate' });
      if (status === 'credited' && earlier) errors.push({ field: 'utr', code: 'utr_duplicate' });
      if (status === 'returned') {
        if (!earlier && !seenUtr.has(`${payee.payeeId}:${utr}:credited`)) errors.push({ field: 'utr', code: 'return_without_credit' });
        else if (earlier?.returned) errors.push({ field: 'utr', code: 'utr_duplicate' });
        else if (earlier && amount !== null && amount !== earlier.amountPaise) errors.push({ field: 'amount', code: 'return_amount_mismatch' });
        else if (!earlier) errors.push({ field: 'utr', code: 'return_same_file' });
        else reversesId = earlier.id;
      }
      seenUtr.add(tag);
    }
    if (payee && status === 'credited' && amount !== null && amount > 0) {
      const before = pending.get(payee.payeeId) ?? 0;
      if (payee.paidPaise + before + amount > payee.amountPaise) errors.push({ field: 'amount', code: 'amount_above_payable' });
    }
    if (errors.length > 0 || !bill || !payee || amount === null || date === null) return { ok: false, errors, amountPaise: amount };
    if (status === 'credited') pending.set(payee.payeeId, (pending.get(payee.payeeId) ?? 0) + amount);
    else pending.set(payee.payeeId, (pending.get(payee.payeeId) ?? 0) - amount);
    return {
      ok: true,
      billId: bill.billId,
      payeeId: payee.payeeId,
      payDate: date,
      utr,
      amountPaise: amount,
      status: status as 'credited' | 'returned',
      reversesId,
    };
  });
}
