import type { TMasterListQuery } from '../../../shared/contracts/org.ts';
import type { TLocale } from '../../../shared/locales/index.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import { type ColumnKind, headerAliases, inLocale, type ReportColumn, type ReportFilter } from '../../platform/tabular/report.ts';
import type { MasterDef } from './org.masters.ts';
import type { MasterRow } from './org.repo.ts';

/**
 * A master's export: the import's file columns (so that an export imports back), as a report —
 * headers in the user's language, active as yes / no, numbers as numbers. References stay codes
 * (what the import reads). `readTable` finds the header row below the title block by these
 * headers' words in either language (`masterHeaderAliases`).
 */

/** File columns whose header is not an `org.field.*` label. */
const OWN_HEADERS = new Set(['districtCode', 'treasuryCode', 'departmentCode', 'hodCode', 'ddoCode', 'budgetLineHead']);

type MasterColumn = ReportColumn<MasterRow> & { key: string };

function kindOf(d: MasterDef, key: string): ColumnKind {
  if (key === 'active') return 'boolean';
  return d.intColumns.includes(key) ? 'number' : 'text';
}

export function masterExportColumns(d: MasterDef): MasterColumn[] {
  return d.fileColumns.map((key) => {
    const header = OWN_HEADERS.has(key) ? `export.col.${key}` : `org.field.${key}`;
    const kind = kindOf(d, key);
    const ref = d.refs.find((r) => r.fileField === key && r.idField !== key);
    if (ref) return { key, header, kind, value: (r) => (r[ref.name] as { code: string } | null)?.code ?? '' };
    return { key, header, kind, value: (r) => r[key] as string | number | boolean | null };
  });
}

/** The header words (English, Hindi, or the key itself) → the file column. */
export function masterHeaderAliases(d: MasterDef): Map<string, string> {
  return headerAliases(masterExportColumns(d));
}

const ID_FILTERS = ['departmentId', 'hodId', 'districtId', 'treasuryId', 'officeId', 'ddoCodeId', 'budgetLineId'] as const;

/** The list filters in words; a reference filter is named from the rows (they all share it), else by its number. */
export function masterExportFilters(locale: TLocale, d: MasterDef, q: Omit<TMasterListQuery, 'page' | 'pageSize'>, rows: MasterRow[]): ReportFilter[] {
  const t = translator(locale);
  const out: ReportFilter[] = [];
  if (q.q) out.push({ label: 'export.filter.search', value: `“${q.q}”` });
  if (q.active && q.active !== 'all' && d.cols.active) out.push({ label: 'export.filter.active', value: t(`org.activeOptions.${q.active}`) });
  for (const f of ID_FILTERS) {
    const id = q[f];
    if (id === undefined || id === null) continue;
    const ref = d.refs.find((r) => r.idField === f);
    if (!d.filters[f]) continue;
    const named = ref ? (rows[0]?.[ref.name] as { code: string; nameEn: string; nameHi: string } | null | undefined) : undefined;
    out.push({ label: `org.field.${f}`, value: named ? `${inLocale(locale, named.nameEn, named.nameHi)} (${named.code})` : `#${id}` });
  }
  return out;
}
