import { sql } from 'drizzle-orm';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { DbOrTx } from '../../db/client.ts';
import * as invoice from '../invoice/index.ts';
import { cloneInvoice, makeApprovedBill } from './payment.bill.demo.ts';
import * as repo from './payment.repo.ts';

/**
 * Demo payments (on top of the invoice demo): a copy of the demo agency's invoice with two
 * workers (PAYDEMO/1) is paid end to end — its bill acknowledged by the sandbox IFMIS, paid in full by the
 * treasury, the workflow at `paid` — and the agency has credited one worker the full net wage and
 * the other ₹500 short (flagged). A copy of its other invoice (PAYDEMO/2) has an acknowledged bill not yet paid, for the
 * treasury file import. Where the DDO's approval (invoice workflow) has already made a bill, that
 * bill is used; otherwise one is made as the tests make theirs (payment.bill.demo.ts).
 */
export async function seedPaymentDemo(tx: DbOrTx, now: Date): Promise<void> {
  const at = now.toISOString();
  const today = todayIst(now);
  const [ddo] = (await tx.execute<{ id: number }>(sql`select id from users where username = 'ddo_bhopal'`)).rows;
  const [agencyUser] = (await tx.execute<{ id: number }>(sql`select id from users where username = 'agency_admin'`)).rows;
  if (!ddo || !agencyUser) return;
  // Copies of the demo agency's invoices (numbered PAYDEMO/1 and /2, two years back: months and
  // numbers the invoice demo and its tests never use), so the invoice demo's own invoices stay
  // free to cancel and regenerate. Paid two years late, the first also shows a pay-date breach.
  const sources = (
    await tx.execute<{ id: number; invoice_no: string; n: number }>(sql`
      select i.id, i.invoice_no, (select count(*)::int from invoice_details d where d.invoice_id = i.id) as n
        from invoices i where i.agency_id = 1 and i.status = 'active' and i.ddo_code_id = (select scope_id from role_assignments ra where ra.user_id = ${ddo.id} and ra.role = 'ddo' limit 1)
       order by n desc, i.id limit 2`)
  ).rows;
  const invoices: { id: number }[] = [];
  for (const [i, src] of sources.entries())
    invoices.push({
      id: await cloneInvoice({ database: { db: tx } }, src.id, { monthsBack: 24 + i, invoiceNo: `PAYDEMO/${i + 1}` }),
    });
  const billOf = async (invoiceId: number): Promise<number | null> => {
    const existing = await repo.billIdOfInvoice(tx, invoiceId);
    if (existing) return existing;
    const [wf] = (await tx.execute<{ stage: string }>(sql`select stage from invoice_workflow where invoice_id = ${invoiceId}`)).rows;
    if (wf) return null; // in the workflow but not approved: leave it to the workflow's demo
    return makeApprovedBill(tx, { invoiceId, mode: 'through_agency', at: now });
  };
  const acknowledge = async (billId: number) => {
    const b = (await repo.getBill(tx, billId))!;
    if (b.status === 'acknowledged') return b;
    await invoice.setBillStatus(tx, billId, ['prepared', 'rejected'], { status: 'sent', sentAt: at });
    const ack = `IFMISDEMO${String(billId).padStart(4, '0')}`;
    await invoice.setBillStatus(tx, billId, ['sent'], { status: 'acknowledged', ifmisRef: ack, answeredAt: at });
    await invoice.insertBillEvent(tx, { invoiceId: b.invoice_id, action: 'bill_sent', userId: ddo.id, role: 'ddo', at });
    await invoice.insertBillEvent(tx, { invoiceId: b.invoice_id, action: 'bill_acknowledged', userId: ddo.id, role: 'ddo', at, remarks: ack });
    await invoice.advanceWorkflow(tx, b.invoice_id, 'approved', at);
    return (await repo.getBill(tx, billId))!;
  };

  const [paid, open] = invoices;
  if (paid) {
    const billId = await billOf(paid.id);
    if (billId) {
      const b = await acknowledge(billId);
      for (const p of await repo.payeesOf(tx, [billId])) {
        const rest = Number(p.amount_paise) - Number(p.paid_paise);
        if (rest > 0)
          await repo.insertPayment(tx, {
            billId,
            payeeId: p.id,
            payDate: today,
            utr: `SBIND${String(billId).padStart(4, '0')}${p.seq}`,
            amountPaise: rest,
            status: 'credited',
            reversesId: null,
            reason: '',
            source: 'hand',
            batchId: null,
            key: null,
            hash: null,
            userId: ddo.id,
            at,
          });
      }
      if (await invoice.advanceWorkflow(tx, b.invoice_id, 'billed', at))
        await invoice.insertBillEvent(tx, { invoiceId: b.invoice_id, action: 'paid', userId: ddo.id, role: 'ddo', at });
      const workers = await repo.detailCredits(tx, b.invoice_id);
      if (workers.length > 0 && workers.every((w) => Number(w.credited_paise) === 0)) {
        const batchId = await repo.insertBatch(tx, {
          kind: 'agency_credits',
          fileName: 'demo-bank-file.csv',
          sha: 'demo',
          invoiceId: b.invoice_id,
          total: workers.length,
          saved: workers.length,
          key: `demo-credits-${b.invoice_id}`,
          hash: 'demo',
          userId: agencyUser.id,
          at,
        });
        await repo.insertCredits(
          tx,
          workers.map((w, i) => ({
            invoiceId: b.invoice_id,
            detailId: w.detail_id,
            resourceId: w.resource_id,
            agencyId: b.agency_id,
            utr: `NMSAL${String(b.invoice_id).padStart(3, '0')}${i + 1}`,
            // The last worker is credited ₹500 short of the net wage: the flag a newcomer sees.
            amountPaise: i === workers.length - 1 && workers.length > 1 ? Number(w.net_wage_paise) - 50_000 : Number(w.net_wage_paise),
            creditDate: today,
            kind: 'credit' as const,
            reversesId: null,
            source: 'agency' as const,
            paymentId: null,
            batchId,
            userId: agencyUser.id,
            at,
          })),
        );
      }
    }
  }
  if (open) {
    const billId = await billOf(open.id);
    if (billId) await acknowledge(billId);
  }
}
