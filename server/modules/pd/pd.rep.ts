import type { TRepAccountReport, TRepAgEcheque, TRepFigures, TRepTreasury, TRepTreasuryMonth } from '../../../shared/contracts/pd-rep.ts';
import { maskAccount } from '../../../shared/domain/identifiers.ts';
import type { Db } from '../../db/client.ts';
import { reachOf, requireAccess, requireRecord } from '../../platform/access/access.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import { type ReportColumn, type ReportMeta, writeReport } from '../../platform/tabular/report.ts';
import { pdAccountAccess } from './pd.policy.ts';
import * as pdRepo from './pd.repo.ts';
import { renderPdReportPdf } from './pd.rep.pdf.ts';
import * as repo from './pd.rep.repo.ts';
import { readAll } from '../../db/read-all.ts';

/**
 * PD accounting reports (issue 18 items 5–6, spec 08 "Reports", seed 004 annexure paras 4–6).
 *
 * - The administrator's report: deposits, withdrawals and closing balance by line for any period
 *   (value dates, IST, both ends inclusive), as JSON, a bilingual PDF and Excel; the monthly
 *   account is the same report for a calendar month (annexure para 4(1)). Scope: the PD account
 *   access rule (administrator its account, treasury its accounts, Finance / auditor all); a
 *   foreign account is 404 like every PD route.
 * - The treasury's monthly account of head 8443-106 (annexure para 5, circular para 12): by PD
 *   account, the deposits credited and the e-cheques debited in the month — an e-cheque is
 *   debited by its `passed` posting, so one later in the e-file, discharged or failed stays
 *   debited in the month it was passed — with totals; and the list of those e-cheques for the
 *   Accountant General (CSV / Excel). A treasury officer its treasury's; Finance / auditor all.
 *
 * Reading a report changes nothing; a download (a document leaving the system) is audited as an
 * `export`, as the other exports of ROAMS are.
 */

export const HEAD_8443_106 = '8443-106';

export function figuresOf(r: repo.RawFigures | undefined): TRepFigures {
  const f = r ?? { opening: 0, deposits: 0, reversed: 0, echeques: 0, lapsed: 0, unclaimed: 0, closing: 0, reserved: 0 };
  const withdrawals = f.echeques + f.lapsed + f.unclaimed;
  return {
    openingPaise: f.opening,
    depositsPaise: f.deposits,
    reversedPaise: f.reversed,
    echequesPaise: f.echeques,
    lapsedPaise: f.lapsed,
    unclaimedPaise: f.unclaimed,
    withdrawalsPaise: withdrawals,
    closingPaise: f.closing,
    reservedPaise: f.reserved,
    availablePaise: f.closing - f.reserved,
  };
}

const FIGURE_KEYS = [
  'openingPaise',
  'depositsPaise',
  'reversedPaise',
  'echequesPaise',
  'lapsedPaise',
  'unclaimedPaise',
  'withdrawalsPaise',
  'closingPaise',
  'reservedPaise',
  'availablePaise',
] as const;

export function sumFigures(rows: readonly TRepFigures[]): TRepFigures {
  const out = Object.fromEntries(FIGURE_KEYS.map((k) => [k, 0])) as TRepFigures;
  for (const r of rows) for (const k of FIGURE_KEYS) out[k] += r[k];
  return out;
}

/** A calendar month 'YYYY-MM' → its first and last day. */
export function monthBounds(month: string): { from: string; to: string } {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/** A period runs forward: its start is not after its end (any length: "for any period", spec 08 Reports). */
function checkPeriod(from: string, to: string): void {
  if (from > to) throw new AppError('pd_report_period_invalid', { errors: [{ field: 'to', code: 'period_order' }] });
}

export async function accountReport(db: Db, ctx: Ctx, accountId: number, from: string, to: string): Promise<TRepAccountReport> {
  await requireRecord(db, actorOf(ctx), pdAccountAccess, accountId);
  checkPeriod(from, to);
  const a = await pdRepo.getAccount(db, accountId);
  if (!a) throw new AppError('not_found');
  const [lines, figures] = await readAll(db, [() => pdRepo.linesOf(db, accountId), () => repo.figuresByLine(db, accountId, from, to)]);
  const out = lines.map((l) => ({ lineId: l.id, head: l.head, purposeEn: l.purposeEn, purposeHi: l.purposeHi, ...figuresOf(figures.get(l.id)) }));
  return {
    accountId,
    accountNo: a.accountNo,
    source: a.source,
    nameEn: a.nameEn,
    nameHi: a.nameHi,
    treasuryEn: a.treasuryEn,
    treasuryHi: a.treasuryHi,
    from,
    to,
    lines: out,
    totals: sumFigures(out),
  };
}

const money = (header: string, key: (typeof FIGURE_KEYS)[number]): ReportColumn<TRepFigures> => ({
  header: `pd-rep.col.${header}`,
  kind: 'money',
  value: (r) => r[key],
});
const FIGURE_COLUMNS: ReportColumn<TRepFigures>[] = [
  money('opening', 'openingPaise'),
  money('deposits', 'depositsPaise'),
  money('reversed', 'reversedPaise'),
  money('echeques', 'echequesPaise'),
  money('lapsed', 'lapsedPaise'),
  money('unclaimed', 'unclaimedPaise'),
  money('withdrawals', 'withdrawalsPaise'),
  money('closing', 'closingPaise'),
  money('reserved', 'reservedPaise'),
  money('available', 'availablePaise'),
];

type LineRow = TRepFigures & { head: string; purposeEn: string; purposeHi: string };
const LINE_COLUMNS: ReportColumn<LineRow>[] = [
  { header: 'pd-rep.col.head', kind: 'text', value: (r) => r.head },
  { header: 'pd-rep.col.purpose', kind: 'text', value: (r, locale) => (locale === 'hi' ? r.purposeHi || r.purposeEn : r.purposeEn || r.purposeHi) },
  ...(FIGURE_COLUMNS as ReportColumn<LineRow>[]),
];

function metaOf(ctx: Ctx, title: string, titleParams: Record<string, string>, sheetName: string): ReportMeta {
  return { title, titleParams, actor: actorOf(ctx), locale: ctx.locale, now: ctx.now, filters: [], sheetName };
}

/** The totals row's name in both languages (the catalogs' `pd-rep.col.total`). */
const totalNames = () => ({ purposeEn: translator('en')('pd-rep.col.total'), purposeHi: translator('hi')('pd-rep.col.total') });
const totalNamesOf = () => ({ nameEn: translator('en')('pd-rep.col.total'), nameHi: translator('hi')('pd-rep.col.total') });

const showDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/** The administrator's report (or monthly account) as a file: the bilingual PDF, or Excel in the caller's language (a totals row last). */
export async function accountReportFile(
  db: Db,
  ctx: Ctx,
  accountId: number,
  period: { from: string; to: string; month?: string },
  format: 'pdf' | 'xlsx',
): Promise<{ body: Buffer; filename: string }> {
  const r = await accountReport(db, ctx, accountId, period.from, period.to);
  const name = `${r.accountNo}-${period.month ?? `${r.from}-${r.to}`}`;
  let body: Buffer;
  if (format === 'pdf') {
    try {
      body = Buffer.from(await renderPdReportPdf(r, { monthly: period.month !== undefined, now: ctx.now }));
    } catch {
      throw new AppError('pdf_unavailable');
    }
  } else {
    const title = period.month ? 'pd-rep.export.monthlyTitle' : 'pd-rep.export.accountTitle';
    const rows: LineRow[] = [...r.lines, { ...r.totals, head: '', ...totalNames() }];
    body = await writeReport(
      'xlsx',
      metaOf(ctx, title, { accountNo: r.accountNo, from: showDate(r.from), to: showDate(r.to), month: period.month ?? '' }, 'by-line'),
      LINE_COLUMNS,
      rows,
    );
  }
  const a = await pdRepo.getAccount(db, accountId);
  await recordAudit(db, ctx, {
    entity: 'pd_account',
    entityId: accountId,
    action: 'export',
    after: { report: period.month ? 'monthly_account' : 'by_line', format, from: r.from, to: r.to },
    departmentId: a?.departmentId ?? null,
  });
  return { body, filename: name };
}

export async function listReportTreasuries(db: Db, ctx: Ctx): Promise<{ items: TRepTreasury[] }> {
  return { items: await repo.reportTreasuries(db, await reachOf(db, actorOf(ctx))) };
}

async function treasuryInScope(db: Db, ctx: Ctx, treasuryId: number) {
  const reach = await reachOf(db, actorOf(ctx));
  // A treasury's monthly account is the treasury's: the state sees every treasury, a treasury officer its own; anything else "not found".
  if (reach.scopeKind !== 'state') requireAccess(reach, 'pd_account', reach.scopeKind === 'treasury' ? { treasuryId } : null);
  const t = await repo.getTreasury(db, treasuryId);
  if (!t) throw new AppError('not_found');
  return { reach, t };
}

function agOut(x: repo.AgEchequeRow): TRepAgEcheque {
  return {
    echequeId: x.echeque_id,
    debitedOn: x.debited_on,
    accountNo: x.account_no,
    linePurposeEn: x.purpose_en,
    linePurposeHi: x.purpose_hi,
    payeeKind: x.payee_kind,
    payeeName: x.payee_name,
    payeeAccountNo: x.payee_account_no ? maskAccount(x.payee_account_no) : '',
    payeeIfsc: x.payee_ifsc,
    headOfAccount: x.head_of_account,
    amountPaise: Number(x.amount_paise),
    state: x.state,
  };
}

export async function treasuryMonth(db: Db, ctx: Ctx, treasuryId: number, month: string): Promise<TRepTreasuryMonth> {
  const { reach, t } = await treasuryInScope(db, ctx, treasuryId);
  const { from, to } = monthBounds(month);
  const [accounts, echeques] = await readAll(db, [
    () => repo.figuresByAccount(db, reach, treasuryId, from, to),
    () => repo.echequesDebited(db, reach, treasuryId, from, to),
  ]);
  const rows = accounts.map((a) => ({
    accountId: a.accountId,
    accountNo: a.accountNo,
    nameEn: a.nameEn,
    nameHi: a.nameHi,
    echequeCount: a.echequeCount,
    ...figuresOf(a),
  }));
  return {
    treasuryId,
    treasuryEn: t.nameEn,
    treasuryHi: t.nameHi,
    month,
    from,
    to,
    head: HEAD_8443_106,
    accounts: rows,
    totals: { ...sumFigures(rows), echequeCount: rows.reduce((s, r) => s + r.echequeCount, 0) },
    echeques: echeques.map(agOut),
  };
}

const AG_COLUMNS: ReportColumn<TRepAgEcheque>[] = [
  { header: 'pd-rep.col.echequeNo', kind: 'number', value: (r) => r.echequeId },
  { header: 'pd-rep.col.debitedOn', kind: 'date', value: (r) => r.debitedOn },
  { header: 'pd-rep.col.accountNo', kind: 'text', value: (r) => r.accountNo },
  {
    header: 'pd-rep.col.purpose',
    kind: 'text',
    value: (r, locale) => (locale === 'hi' ? r.linePurposeHi || r.linePurposeEn : r.linePurposeEn || r.linePurposeHi),
  },
  { header: 'pd-rep.col.payeeKind', kind: 'enum', labels: 'pd-rep.payeeKind', value: (r) => r.payeeKind },
  { header: 'pd-rep.col.payee', kind: 'text', value: (r) => r.payeeName },
  { header: 'pd-rep.col.payeeAccountNo', kind: 'text', value: (r) => r.payeeAccountNo },
  { header: 'pd-rep.col.ifsc', kind: 'text', value: (r) => r.payeeIfsc },
  { header: 'pd-rep.col.headOfAccount', kind: 'text', value: (r) => r.headOfAccount },
  { header: 'pd-rep.col.amount', kind: 'money', value: (r) => r.amountPaise },
  { header: 'pd-rep.col.state', kind: 'enum', labels: 'pd-rep.state', value: (r) => r.state },
];

/** The list of e-cheques debited to 8443-106 in the month, for the Accountant General (no vouchers: annexure para 5). */
export async function agList(db: Db, ctx: Ctx, treasuryId: number, month: string, format: 'csv' | 'xlsx'): Promise<{ body: Buffer; filename: string }> {
  const { reach, t } = await treasuryInScope(db, ctx, treasuryId);
  const { from, to } = monthBounds(month);
  const rows = (await repo.echequesDebited(db, reach, treasuryId, from, to)).map(agOut);
  const total = rows.reduce((s, r) => s + r.amountPaise, 0);
  const treasury = ctx.locale === 'hi' ? t.nameHi : t.nameEn;
  const body = await writeReport(
    format,
    metaOf(ctx, 'pd-rep.export.agTitle', { treasury, month, count: String(rows.length), total: (total / 100).toFixed(2) }, 'ag-list'),
    AG_COLUMNS,
    rows,
  );
  await recordAudit(db, ctx, { entity: 'pd_treasury', entityId: treasuryId, action: 'export', after: { report: 'ag_list', format, month, rows: rows.length } });
  return { body, filename: `pd-echeques-ag-${month}-treasury-${treasuryId}` };
}

type TreasuryRow = TRepTreasuryMonth['accounts'][number];
const TREASURY_COLUMNS: ReportColumn<TreasuryRow>[] = [
  { header: 'pd-rep.col.accountNo', kind: 'text', value: (r) => r.accountNo },
  { header: 'pd-rep.col.accountName', kind: 'text', value: (r, locale) => (locale === 'hi' ? r.nameHi || r.nameEn : r.nameEn || r.nameHi) },
  ...(FIGURE_COLUMNS as ReportColumn<TreasuryRow>[]),
  { header: 'pd-rep.col.echequeCount', kind: 'number', value: (r) => r.echequeCount },
];

/** The monthly account of head 8443-106 as a spreadsheet (CSV / Excel), one row per PD account and a totals row. */
export async function treasuryMonthFile(db: Db, ctx: Ctx, treasuryId: number, month: string, format: 'csv' | 'xlsx') {
  const m = await treasuryMonth(db, ctx, treasuryId, month);
  const rows: TreasuryRow[] = [...m.accounts, { ...m.totals, accountId: 0, accountNo: '', ...totalNamesOf() }];
  const treasury = ctx.locale === 'hi' ? m.treasuryHi : m.treasuryEn;
  const body = await writeReport(format, metaOf(ctx, 'pd-rep.export.treasuryTitle', { treasury, month }, '8443-106'), TREASURY_COLUMNS, rows);
  await recordAudit(db, ctx, { entity: 'pd_treasury', entityId: treasuryId, action: 'export', after: { report: '8443-106', format, month } });
  return { body, filename: `pd-8443-106-${month}-treasury-${treasuryId}` };
}
