import type { TContractExportQuery, TContractSummary } from '../../../shared/contracts/contract.ts';
import type { TLocale } from '../../../shared/locales/index.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import { inLocale, type ReportColumn, type ReportFilter } from '../../platform/tabular/report.ts';

/** A list row with the money terms of the version it shows (contract.repo `versionTerms`). */
export type ContractExportRow = TContractSummary & { monthlyWagePaise: number | null; serviceChargeBp: number | null };

/** The contracts export: its columns (a report, in the user's language, with the amounts) and its filters in words. */
export const CONTRACT_EXPORT_COLUMNS: ReportColumn<ContractExportRow>[] = [
  { header: 'contract.field.contractNo', kind: 'text', value: (r) => r.contractNo },
  { header: 'contract.field.contractDate', kind: 'date', value: (r) => r.contractDate },
  { header: 'contract.field.status', kind: 'enum', labels: 'contract.status', value: (r) => r.status },
  { header: 'contract.field.department', kind: 'text', value: (r, l) => inLocale(l, r.departmentNameEn, r.departmentNameHi) },
  { header: 'export.col.officeId', kind: 'number', value: (r) => r.officeId },
  { header: 'contract.field.office', kind: 'text', value: (r, l) => inLocale(l, r.officeNameEn, r.officeNameHi) },
  { header: 'contract.field.agency', kind: 'text', value: (r) => r.agencyName },
  { header: 'contract.field.agencyStatus', kind: 'enum', labels: 'contract.agencyStatus', value: (r) => r.agencyStatus },
  { header: 'contract.field.procurementMode', kind: 'enum', labels: 'contract.procurement', value: (r) => r.procurementMode },
  { header: 'contract.field.gemContractNo', kind: 'text', value: (r) => r.gemContractNo },
  { header: 'contract.field.gemBidNo', kind: 'text', value: (r) => r.gemBidNo },
  { header: 'contract.field.startDate', kind: 'date', value: (r) => r.startDate },
  { header: 'contract.field.endDate', kind: 'date', value: (r) => r.endDate },
  { header: 'contract.field.version', kind: 'number', value: (r) => r.currentVersionNo ?? r.draftVersionNo },
  { header: 'export.col.totalPositions', kind: 'number', value: (r) => r.totalPositions },
  { header: 'export.col.monthlyWage', kind: 'money', value: (r) => r.monthlyWagePaise },
  { header: 'export.col.serviceCharge', kind: 'number', value: (r) => (r.serviceChargeBp === null ? null : r.serviceChargeBp / 100) },
  { header: 'export.col.isLegacy', kind: 'boolean', value: (r) => r.isLegacy },
  { header: 'export.col.registeredOn', kind: 'date', value: (r) => r.registeredOn },
  { header: 'export.col.registeredLate', kind: 'boolean', value: (r) => r.registeredLate },
  { header: 'export.col.belowMinimumWage', kind: 'boolean', value: (r) => r.belowMinimumWage },
  { header: 'contract.field.terminatedOn', kind: 'date', value: (r) => r.terminatedOn },
  { header: 'contract.field.terminationReason', kind: 'text', value: (r) => r.terminationReason },
];

/** The filters in words; a filter by id is named from the rows (every row has that office / agency / department), else by its number. */
export function contractExportFilters(locale: TLocale, q: TContractExportQuery, rows: TContractSummary[]): ReportFilter[] {
  const t = translator(locale);
  const first = rows[0];
  const yes = t('common.yes');
  const out: ReportFilter[] = [];
  if (q.q) out.push({ label: 'export.filter.search', value: `“${q.q}”` });
  if (q.status) out.push({ label: 'export.filter.status', value: t(`contract.status.${q.status}`) });
  if (q.departmentId !== undefined)
    out.push({ label: 'export.filter.department', value: first ? inLocale(locale, first.departmentNameEn, first.departmentNameHi) : `#${q.departmentId}` });
  if (q.officeId !== undefined)
    out.push({ label: 'export.filter.office', value: first ? inLocale(locale, first.officeNameEn, first.officeNameHi) : `#${q.officeId}` });
  if (q.agencyId !== undefined) out.push({ label: 'export.filter.agency', value: first ? first.agencyName : `#${q.agencyId}` });
  if (q.legacy) out.push({ label: 'export.filter.legacy', value: t(q.legacy === 'true' ? 'common.yes' : 'common.no') });
  if (q.late) out.push({ label: 'export.filter.late', value: yes });
  if (q.belowMinimumWage) out.push({ label: 'export.filter.belowMinimumWage', value: yes });
  if (q.endingWithinDays !== undefined) out.push({ label: 'export.filter.endingWithinDays', value: String(q.endingWithinDays) });
  return out;
}
