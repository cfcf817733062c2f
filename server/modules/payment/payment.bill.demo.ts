import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';

/**
 * Until the DDO's approval (invoice workflow, built alongside) makes bills, tests and the demo
 * make one here: the invoice's workflow row (submitted → verified → approved) and its bill with a
 * TDS deduction and its payees, in one transaction (the bill's balance trigger checks the sums at
 * COMMIT). When the approval lands, this is the one place to call it instead.
 */
export async function makeApprovedBill(
  db: DbOrTx,
  opts: { invoiceId: number; mode: 'through_agency' | 'direct'; at: Date; billNo?: string; ddoCode?: string; agencyIfsc?: string },
): Promise<number> {
  const run = async (tx: DbOrTx) => {
    const at = opts.at.toISOString();
    const [inv] = (
      await tx.execute<{
        id: number;
        invoice_no: string;
        agency_id: number;
        department_id: number;
        office_id: number;
        ddo_code_id: number;
        ddo_code: string;
        total: string;
        service: string;
        gst: string;
        budget_line_id: number;
        pdf: string;
        bank: string;
        ifsc: string;
        legal_name: string;
        user_id: number;
      }>(sql`
        select i.id, i.invoice_no, i.agency_id, i.department_id, i.office_id, i.ddo_code_id, i.ddo_code, i.total_paise::text as total,
               i.service_charge_paise::text as service, i.gst_paise::text as gst, coalesce(i.pdf_sha256, i.content_hash) as pdf,
               (select min(cb.budget_line_id) from contract_version_budget_lines cb where cb.version_id = i.contract_version_id) as budget_line_id,
               a.bank_account as bank, a.ifsc, a.legal_name,
               (select u.id from users u where u.username = 'ddo_bhopal') as user_id
          from invoices i join agencies a on a.id = i.agency_id where i.id = ${opts.invoiceId}`)
    ).rows;
    if (!inv) throw new Error(`no invoice ${opts.invoiceId}`);
    await tx.execute(
      sql`insert into invoice_workflow (invoice_id, stage, submitted_at, submitted_by, updated_at) values (${inv.id}, 'submitted', ${at}::timestamptz, ${inv.user_id}, ${at}::timestamptz)`,
    );
    await tx.execute(
      sql`update invoice_workflow set stage = 'verified', verified_at = ${at}::timestamptz, verified_by = ${inv.user_id} where invoice_id = ${inv.id}`,
    );
    await tx.execute(
      sql`update invoice_workflow set stage = 'approved', approved_at = ${at}::timestamptz, approved_by = ${inv.user_id} where invoice_id = ${inv.id}`,
    );
    const gross = Number(inv.total);
    const tdsBase = Number(inv.service);
    const tds = Math.round((tdsBase * 2) / 100);
    const net = gross - tds;
    const [bill] = (
      await tx.execute<{ id: number }>(sql`
        insert into bills (invoice_id, bill_no, agency_id, department_id, office_id, ddo_code_id, ddo_code, budget_line_id, payment_mode,
                           gross_paise, gst_paise, tds_base_paise, deductions_paise, net_payable_paise, invoice_pdf_sha256, created_by, created_at)
        values (${inv.id}, ${opts.billNo ?? `B/${inv.invoice_no}`.slice(0, 24)}, ${inv.agency_id}, ${inv.department_id}, ${inv.office_id}, ${inv.ddo_code_id},
                ${opts.ddoCode ?? inv.ddo_code}, ${inv.budget_line_id}, ${opts.mode}, ${gross}, ${Number(inv.gst)}, ${tdsBase}, ${tds}, ${net}, ${inv.pdf}, ${inv.user_id}, ${at}::timestamptz)
        returning id`)
    ).rows;
    await tx.execute(
      sql`insert into bill_deductions (bill_id, code, base_paise, rate_ppm, amount_paise) values (${bill!.id}, 'TDS194C', ${tdsBase}, 20000, ${tds})`,
    );
    let seq = 1;
    let rest = net;
    if (opts.mode === 'direct') {
      const workers = (
        await tx.execute<{ detail_id: number; resource_id: number; name_en: string; bank: string; ifsc: string; net: string }>(sql`
          select d.id as detail_id, d.resource_id, d.name_en, r.bank_account as bank, r.ifsc, d.net_wage_paise::text as net
            from invoice_details d join resources r on r.id = d.resource_id where d.invoice_id = ${inv.id} and d.net_wage_paise > 0 order by d.id`)
      ).rows;
      for (const w of workers) {
        await tx.execute(sql`insert into bill_payees (bill_id, seq, kind, resource_id, invoice_detail_id, name, bank_account, ifsc, amount_paise)
          values (${bill!.id}, ${seq++}, 'worker', ${w.resource_id}, ${w.detail_id}, ${w.name_en}, ${w.bank}, ${w.ifsc}, ${Number(w.net)})`);
        rest -= Number(w.net);
      }
    }
    await tx.execute(sql`insert into bill_payees (bill_id, seq, kind, name, bank_account, ifsc, amount_paise)
      values (${bill!.id}, ${seq}, 'agency', ${inv.legal_name}, ${inv.bank}, ${opts.agencyIfsc ?? inv.ifsc}, ${rest})`);
    return bill!.id;
  };
  return 'transaction' in db ? (db as { transaction: <T>(f: (tx: DbOrTx) => Promise<T>) => Promise<T> }).transaction(run) : run(db);
}

let cloneNo = 0;
/**
 * A fresh active invoice like `srcId` (its details copied), in an earlier month, so each test has
 * its own bill (one bill per invoice).
 */
export async function cloneInvoice(t: { database: { db: DbOrTx } }, srcId = 3, as?: { monthsBack: number; invoiceNo: string }): Promise<number> {
  cloneNo += 1;
  const tag = as?.invoiceNo ?? `T${process.pid % 1000}-${cloneNo}`;
  const back = as?.monthsBack ?? cloneNo + 30; // the demo's copies are 24 and 25 months back
  const [inv] = (
    await t.database.db.execute<{ id: number }>(
      sql`insert into invoices (contract_id, contract_version_id, agency_id, department_id, office_id, ddo_code_id, ddo_code, month, invoice_no, invoice_date, status,
          intra_state, wage_basis, epf_mode, esic_applies, service_charge_bp, bonus_bp, subtotal_paise, reimbursed_paise, service_charge_paise, taxable_paise, gst_paise,
          gross_total_paise, round_off_paise, total_paise, arrears_paise, content_hash, generated_by, generated_at)
        select contract_id, contract_version_id, agency_id, department_id, office_id, ddo_code_id, ddo_code, (month - make_interval(months => ${back}))::date, ${tag}, invoice_date, 'active',
          intra_state, wage_basis, epf_mode, esic_applies, service_charge_bp, bonus_bp, subtotal_paise, reimbursed_paise, service_charge_paise, taxable_paise, gst_paise,
          gross_total_paise, round_off_paise, total_paise, arrears_paise, content_hash, generated_by, generated_at
          from invoices where id = ${srcId} returning id`,
    )
  ).rows;
  await t.database.db.execute(sql`insert into invoice_details (invoice_id, resource_id, office_id, skill_level_id, post_name_id, name_en, name_hi, aadhaar_last4, basic_paise, vda_paise,
      minimum_wage_paise, paid_days, days_in_month, day_rate_paise, earned_wage_paise, pf_wage_paise, esic_wage_paise, bonus_wage_paise, esic_covered, cost_paise, reimbursed_paise,
      employee_deduction_paise, net_wage_paise)
    select ${inv!.id}, resource_id, office_id, skill_level_id, post_name_id, name_en, name_hi, aadhaar_last4, basic_paise, vda_paise,
      minimum_wage_paise, paid_days, days_in_month, day_rate_paise, earned_wage_paise, pf_wage_paise, esic_wage_paise, bonus_wage_paise, esic_covered, cost_paise, reimbursed_paise,
      employee_deduction_paise, net_wage_paise from invoice_details where invoice_id = ${srcId} order by id`);
  return inv!.id;
}
