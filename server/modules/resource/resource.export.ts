import type { TResourceExportQuery } from '../../../shared/contracts/resource.ts';
import { maskAccount } from '../../../shared/domain/identifiers.ts';
import type { TLocale } from '../../../shared/locales/index.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import { inLocale, type ReportColumn, type ReportFilter } from '../../platform/tabular/report.ts';
import type { ExportRow } from './resource.repo.ts';
import { maskedAadhaar } from './resource.rules.ts';

/**
 * The resources export (issue 12 item 2, spec 04): a report in the user's language. Personal
 * numbers as the screens show them — Aadhaar only ever masked (the full number never leaves the
 * vault), the bank account masked like the ghost list shows it — and codes as their labels.
 */

const NAME_EN: ReportColumn<ExportRow> = { header: 'resource.export.nameEn', kind: 'text', value: (r) => r.nameEn };
const NAME_HI: ReportColumn<ExportRow> = { header: 'resource.export.nameHi', kind: 'text', value: (r) => r.nameHi };

const REST: ReportColumn<ExportRow>[] = [
  { header: 'resource.field.relation', kind: 'enum', labels: 'resource.relation', value: (r) => r.relation },
  { header: 'resource.field.relativeName', kind: 'text', value: (r) => r.relativeName },
  { header: 'resource.field.gender', kind: 'enum', labels: 'resource.gender', value: (r) => r.gender },
  { header: 'resource.field.dob', kind: 'date', value: (r) => r.dob },
  { header: 'resource.field.mobile', kind: 'text', value: (r) => r.mobile },
  { header: 'resource.export.aadhaarMasked', kind: 'text', value: (r) => maskedAadhaar(r.aadhaarLast4) },
  { header: 'resource.field.kyc', kind: 'enum', labels: 'resource.kycStatus', value: (r) => r.kycStatus },
  { header: 'resource.field.verification', kind: 'enum', labels: 'resource.verification', value: (r) => r.verificationMethod },
  { header: 'resource.field.status', kind: 'enum', labels: 'resource.status', value: (r) => r.status },
  { header: 'resource.field.agency', kind: 'text', value: (r) => r.agencyName },
  { header: 'resource.export.contractNo', kind: 'text', value: (r) => r.contractNo },
  { header: 'resource.export.department', kind: 'text', value: (r, l) => inLocale(l, r.departmentNameEn, r.departmentNameHi) },
  { header: 'resource.field.office', kind: 'text', value: (r, l) => inLocale(l, r.officeNameEn, r.officeNameHi) },
  { header: 'resource.export.post', kind: 'text', value: (r, l) => inLocale(l, r.postNameEn, r.postNameHi) },
  { header: 'resource.export.skillLevel', kind: 'text', value: (r, l) => inLocale(l, r.skillLevelNameEn, r.skillLevelNameHi) },
  { header: 'resource.field.joiningDate', kind: 'date', value: (r) => r.joiningDate },
  { header: 'resource.export.relievedOn', kind: 'date', value: (r) => r.relievedOn },
  { header: 'resource.export.relieveReason', kind: 'enum', labels: 'resource.relieveReason', value: (r) => r.relieveReason },
  { header: 'resource.export.bankAccountMasked', kind: 'text', value: (r) => maskAccount(r.bankAccount) },
  { header: 'resource.field.ifsc', kind: 'text', value: (r) => r.ifsc },
  { header: 'resource.field.uan', kind: 'text', value: (r) => r.uan },
  { header: 'resource.field.esicIp', kind: 'text', value: (r) => r.esicIp },
];

/** The columns: the name first in the caller's script, then in the other. */
export function resourceExportColumns(locale: TLocale): ReportColumn<ExportRow>[] {
  return [{ header: 'resource.export.id', kind: 'number', value: (r) => r.id }, ...(locale === 'hi' ? [NAME_HI, NAME_EN] : [NAME_EN, NAME_HI]), ...REST];
}

/** The filters in words; a filter by id is named from a row that matches it, else by its number. */
export function resourceExportFilters(locale: TLocale, q: TResourceExportQuery, rows: ExportRow[]): ReportFilter[] {
  const t = translator(locale);
  const first = rows[0];
  const out: ReportFilter[] = [];
  if (q.q) out.push({ label: 'export.filter.search', value: `“${q.q}”` });
  if (q.status) out.push({ label: 'export.filter.status', value: t(`resource.status.${q.status}`) });
  if (q.kycStatus) out.push({ label: 'export.filter.kycStatus', value: t(`resource.kycStatus.${q.kycStatus}`) });
  if (q.departmentId !== undefined)
    out.push({ label: 'export.filter.department', value: first ? inLocale(locale, first.departmentNameEn, first.departmentNameHi) : `#${q.departmentId}` });
  if (q.contractId !== undefined) out.push({ label: 'export.filter.contract', value: first ? first.contractNo : `#${q.contractId}` });
  if (q.officeId !== undefined) {
    // The office filter matches the deployed office or, before deployment, the contract's; the row names the former.
    const named = rows.find((r) => (r.officeId ?? r.contractOfficeId) === q.officeId);
    out.push({ label: 'export.filter.office', value: named ? inLocale(locale, named.officeNameEn, named.officeNameHi) : `#${q.officeId}` });
  }
  if (q.agencyId !== undefined) out.push({ label: 'export.filter.agency', value: first ? first.agencyName : `#${q.agencyId}` });
  return out;
}
