import { describe, expect, it } from 'vitest';
import { inLocale, rupeesText, titleLines, writeReportCsv } from './report.ts';

describe('report exports: the pieces', () => {
  it('rupees from integer paise, without floating point, negatives kept', () => {
    expect(rupeesText(1_229_400)).toBe('12294.00');
    expect(rupeesText(5)).toBe('0.05');
    expect(rupeesText(-125_050)).toBe('-1250.50');
    expect(rupeesText(900_719_925_474_099)).toBe('9007199254740.99');
  });

  it("names in the caller's language, the other when that one is blank", () => {
    expect(inLocale('hi', 'Finance Department', 'वित्त विभाग')).toBe('वित्त विभाग');
    expect(inLocale('en', 'Finance Department', 'वित्त विभाग')).toBe('Finance Department');
    expect(inLocale('hi', 'Finance Department', ' ')).toBe('Finance Department');
    expect(inLocale('en', '', 'वित्त विभाग')).toBe('वित्त विभाग');
  });

  it('the title block says what, by whom (name and role), when in IST and which filters, in the language asked for', () => {
    const meta = {
      title: 'export.title.sanctionOrders',
      actor: { name: 'Ramesh Sharma', role: 'department_manager' as const },
      now: new Date('2026-03-31T20:00:00Z'),
      filters: [{ label: 'export.filter.search', value: '“FIN”' }],
    };
    expect(titleLines({ ...meta, locale: 'en' }, 3)).toEqual([
      'Sanction orders',
      'Exported by: Ramesh Sharma (Department Manager (DM))',
      'Exported on: 01/04/2026 01:30 IST',
      'Filters: Search: “FIN”',
      'Rows: 3',
    ]);
    expect(titleLines({ ...meta, locale: 'hi', filters: [] }, 0)[3]).toBe('फ़िल्टर: कोई नहीं (आपके दायरे की पूरी सूची)');
  });

  it('CSV cells: dates dd/mm/yyyy, times in IST, yes / no words, enum labels, rupees plain', () => {
    const buf = writeReportCsv(
      { title: 'export.title.contracts', actor: { name: 'A', role: 'auditor' }, locale: 'hi', now: new Date(), filters: [] },
      [
        { header: 'contract.field.contractDate', kind: 'date', value: () => '2026-04-01' },
        { header: 'export.col.createdAt', kind: 'datetime', value: () => '2026-03-31T20:00:00.000Z' },
        { header: 'export.col.isLegacy', kind: 'boolean', value: () => false },
        { header: 'contract.field.status', kind: 'enum', labels: 'contract.status', value: () => 'active' },
        { header: 'export.col.monthlyWage', kind: 'money', value: () => 2_973_800 },
      ],
      [{}],
    );
    const last = buf.toString('utf8').trimEnd().split('\r\n').at(-1);
    expect(last).toBe('01/04/2026,01/04/2026 01:30,नहीं,सक्रिय,29738.00');
  });
});
