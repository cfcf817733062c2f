import type { TOrderExportQuery, TSanctionOrderSummary } from '../../../shared/contracts/sanction.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import type { Ctx } from '../../platform/context.ts';
import { inLocale, type ReportColumn, type ReportFilter } from '../../platform/tabular/report.ts';

/** The sanction orders export: its columns (a report, in the user's language) and its filters in words. */
export const ORDER_EXPORT_COLUMNS: ReportColumn<TSanctionOrderSummary>[] = [
  { header: 'sanction.field.orderNo', kind: 'text', value: (r) => r.orderNo },
  { header: 'sanction.field.orderDate', kind: 'date', value: (r) => r.orderDate },
  { header: 'sanction.kind.label', kind: 'enum', labels: 'sanction.kind', value: (r) => r.kind },
  { header: 'sanction.field.refOrder', kind: 'text', value: (r) => r.refOrderNo },
  { header: 'sanction.field.department', kind: 'text', value: (r, l) => inLocale(l, r.departmentNameEn, r.departmentNameHi) },
  { header: 'sanction.field.issuingOfficerName', kind: 'text', value: (r) => r.issuingOfficerName },
  { header: 'sanction.field.issuingOfficerDesignation', kind: 'text', value: (r) => r.issuingOfficerDesignation },
  { header: 'sanction.field.remark', kind: 'text', value: (r) => r.remark },
  { header: 'export.col.locked', kind: 'boolean', value: (r) => r.locked },
  { header: 'sanction.field.lockedAt', kind: 'datetime', value: (r) => r.lockedAt },
  { header: 'export.col.postCount', kind: 'number', value: (r) => r.postCount },
  { header: 'export.col.totalPosts', kind: 'number', value: (r) => r.totalPosts },
  { header: 'export.col.fileSha256', kind: 'text', value: (r) => r.file.sha256 },
  { header: 'export.col.createdAt', kind: 'datetime', value: (r) => r.createdAt },
];

export function orderExportFilters(ctx: Pick<Ctx, 'locale'>, q: TOrderExportQuery): ReportFilter[] {
  const t = translator(ctx.locale);
  const out: ReportFilter[] = [];
  if (q.q) out.push({ label: 'export.filter.search', value: `“${q.q}”` });
  if (q.locked) out.push({ label: 'export.filter.locked', value: t(q.locked === 'true' ? 'common.yes' : 'common.no') });
  return out;
}
