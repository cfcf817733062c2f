import { sql } from 'drizzle-orm';
import { todayIst } from '../../../shared/domain/dates.ts';
import { billedRupees, formatEcrLine } from '../../../shared/domain/ecr.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { FileStore } from '../../platform/files/files.ts';
import * as repo from './proof.repo.ts';
import { previousMonth } from './proof.rules.ts';
import { recordProof } from './proof.service.ts';

/** The month after a 'YYYY-MM-01'. */
function nextMonth(m: string): string {
  const y = Number(m.slice(0, 4));
  const mo = Number(m.slice(5, 7));
  return mo === 12 ? `${y + 1}-01-01` : `${y}-${String(mo + 1).padStart(2, '0')}-01`;
}

/** The demo agency (login `agency_admin`, agency 1). */
const DEMO_AGENCY = 1;

/** An ECR of the billed members, each with `epf(m)` rupees of EPF wages (null: left out). */
function ecrOf(members: repo.BilledRow[], epf: (m: repo.BilledRow, i: number) => number | null): Buffer {
  const lines: string[] = [];
  members.forEach((m, i) => {
    const w = epf(m, i);
    if (w === null || m.uan === '') return;
    const ee = Math.round(w * 0.12);
    const eps = Math.round(Math.min(w, 15000) * 0.0833);
    lines.push(
      formatEcrLine({
        uan: m.uan,
        name: i % 2 ? m.nameHi : m.nameEn,
        grossWages: w,
        epfWages: w,
        epsWages: Math.min(w, 15000),
        edliWages: Math.min(w, 15000),
        eeShare: ee,
        epsShare: eps,
        erShare: ee - eps,
        ncpDays: 0,
        refund: 0,
      }),
    );
  });
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}

/**
 * Demo proofs for last month's invoices (invoice.demo.ts): the demo agency (login agency_admin)
 * uploaded an ECR with one worker's EPF wages ₹500 short and, with three or more workers, the
 * last one left out — so it opens a proof with differences and may upload the corrected ECR; one
 * other agency's proof reconciled (Finance sees both; it is the authorisation matrix's foreign
 * proof, id 2).
 */
export async function seedProofDemo(tx: DbOrTx, files: FileStore, now: Date): Promise<void> {
  const month = previousMonth(`${todayIst(now).slice(0, 7)}-01`);
  const who = await tx.execute<{ userId: number; assignmentId: number; name: string }>(sql`
    select u.id as "userId", ra.id as "assignmentId", u.name
      from role_assignments ra join users u on u.id = ra.user_id
     where ra.role = 'agency_admin' and ra.scope_kind = 'agency' and ra.scope_id = ${DEMO_AGENCY} and ra.active
     order by ra.id limit 1`);
  const a = who.rows[0];
  const agencies = await tx.execute<{ agencyId: number }>(sql`
    select agency_id as "agencyId" from invoices where month = ${month} and status = 'active'
     group by agency_id order by agency_id <> ${DEMO_AGENCY}, agency_id limit 2`);
  const db = tx as Db;
  const extra: { agencyId: number; ctx: Ctx }[] = [];
  for (const { agencyId } of agencies.rows) {
    const members = await repo.billedMembers(tx, agencyId, month);
    const esic = await repo.billedEsic(tx, agencyId, month);
    if (!members.some((m) => m.uan !== '')) continue;
    const ctx: Ctx = {
      actor:
        a && agencyId === DEMO_AGENCY
          ? { userId: a.userId, name: a.name, assignmentId: a.assignmentId, role: 'agency_admin', scopeKind: 'agency', scopeId: DEMO_AGENCY }
          : null,
      ip: '127.0.0.1',
      locale: 'en',
      now,
    };
    const form = (n: number) => ({
      month: month.slice(0, 7),
      trrn: `${3_126_000_000_000 + agencyId * 10 + n}`,
      paymentDate: todayIst(now).slice(0, 8) + '05',
      esicChallanNo: `ESIC${month.slice(0, 4)}${month.slice(5, 7)}${agencyId}${n}`,
      esicChallanDate: todayIst(now).slice(0, 8) + '05',
      esicAmountPaise: esic,
    });
    const short = ecrOf(members, (m, i) => {
      const full = billedRupees(m.epfWagePaise);
      if (i === 0) return full - 500;
      return members.length > 2 && i === members.length - 1 ? null : full;
    });
    const full = ecrOf(members, (m) => billedRupees(m.epfWagePaise));
    try {
      if (agencyId === DEMO_AGENCY) await recordProof(db, files, ctx, agencyId, form(1), { bytes: short, filename: `ECR_${month.slice(0, 7)}.txt` });
      else await recordProof(db, files, ctx, agencyId, form(1), { bytes: full, filename: `ECR_${month.slice(0, 7)}.txt` });
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
    }
    // The months of the workflow demo (invoice.workflow.demo.ts) come after the others, so the
    // proofs above keep their ids (the authorisation matrix's).
    if (agencyId === DEMO_AGENCY) extra.push({ agencyId, ctx });
  }
  // The workflow demo's invoices are of the two months before last: their proofs reconciled, so
  // the invoice awaiting the DDO (and last month's drafts, once submitted and verified) pass the
  // gate; last month's proof above, with differences, holds the next month's invoices.
  const jobs = extra.flatMap((x) => [previousMonth(month), previousMonth(previousMonth(month))].map((before, n) => ({ ...x, before, n })));
  for (const { agencyId, ctx, before, n } of jobs) {
    const members = await repo.billedMembers(tx, agencyId, before);
    if (!members.some((m) => m.uan !== '')) continue;
    const esic = await repo.billedEsic(tx, agencyId, before);
    const form = {
      month: before.slice(0, 7),
      trrn: `${3_126_000_000_000 + agencyId * 10 + 7 + n}`,
      paymentDate: `${nextMonth(before).slice(0, 8)}12`,
      esicChallanNo: `ESIC${before.slice(0, 4)}${before.slice(5, 7)}${agencyId}${7 + n}`,
      esicChallanDate: `${nextMonth(before).slice(0, 8)}12`,
      esicAmountPaise: esic,
    };
    try {
      await recordProof(db, files, ctx, agencyId, form, { bytes: ecrOf(members, (m) => billedRupees(m.epfWagePaise)), filename: `ECR_${form.month}.txt` });
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
    }
  }
}
