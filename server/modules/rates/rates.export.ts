import type { TMinimumWage, TMinimumWageExportQuery } from '../../../shared/contracts/rates.ts';
import { formatDate } from '../../../shared/domain/dates.ts';
import type { TLocale } from '../../../shared/locales/index.ts';
import { inLocale, type ReportColumn, type ReportFilter } from '../../platform/tabular/report.ts';

/** The minimum wages export: its columns (a report, in the user's language, amounts in ₹) and its filters in words. */
export const WAGE_EXPORT_COLUMNS: ReportColumn<TMinimumWage>[] = [
  { header: 'rates.col.skillLevel', kind: 'text', value: (r, l) => inLocale(l, r.skillLevelNameEn, r.skillLevelNameHi) },
  { header: 'rates.col.effectiveFrom', kind: 'date', value: (r) => r.effectiveFrom },
  { header: 'rates.col.effectiveTo', kind: 'date', value: (r) => r.effectiveTo },
  { header: 'rates.col.basic', kind: 'money', value: (r) => r.basicPaise },
  { header: 'rates.col.vda', kind: 'money', value: (r) => r.vdaPaise },
  { header: 'rates.col.total', kind: 'money', value: (r) => r.totalPaise },
  { header: 'rates.col.notification', kind: 'text', value: (r) => r.notificationRef },
  { header: 'export.col.inForceToday', kind: 'boolean', value: (r) => r.inForceToday },
];

export function wageExportFilters(locale: TLocale, q: TMinimumWageExportQuery, rows: TMinimumWage[]): ReportFilter[] {
  const out: ReportFilter[] = [];
  const first = rows[0];
  if (q.skillLevelId !== undefined)
    out.push({ label: 'export.filter.skillLevel', value: first ? inLocale(locale, first.skillLevelNameEn, first.skillLevelNameHi) : `#${q.skillLevelId}` });
  if (q.on) out.push({ label: 'export.filter.on', value: formatDate(q.on) });
  return out;
}
