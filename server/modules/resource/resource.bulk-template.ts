import type ExcelJS from 'exceljs';
import { excel } from '../../platform/tabular/excel.ts';
import { BULK_COLUMNS, BULK_SHEETS, MAX_BULK_ROWS, type TBulkColumn } from '../../../shared/contracts/resource-bulk.ts';
import { GENDERS, QUALIFICATIONS, RELATIONS } from '../../../shared/contracts/resource.ts';
import type { TLocale } from '../../../shared/locales/index.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import { DATE_FORMAT } from '../../platform/tabular/report.ts';
import type { ContractPost } from './resource.repo.ts';

/**
 * The bulk onboarding template (issue 14 item 1): what it holds and how its words read back.
 * Sheets: `resources` (the header row in the user's language; date of birth a real date cell;
 * drop-down lists for relation, gender, qualification and post), `instructions` (what to fill;
 * cell B2 names the contract the template belongs to) and `lists` (the choices). An upload is
 * read back in either language: a header, a choice or a post may be in Hindi or English.
 */

/** The marker in instructions!B2: a template of another contract is recognised and refused. */
export const TEMPLATE_MARK = 'ROAMS:resource-bulk:contract:';
export const MARK_CELL = { row: 2, col: 2 } as const;

/** The instruction lines (keys under resource.bulk.tpl). */
const TEMPLATE_LINES = ['line1', 'line2', 'line3', 'line4', 'line5', 'line6'] as const;

type Choice = { code: string; labels: string[] };

/** One choice per distinct (skill level, post) of the contract; its label `Post — Skill level`. */
export type PostChoice = { skillLevelId: number; postNameId: number; en: string; hi: string };

export function postChoices(posts: ContractPost[]): PostChoice[] {
  const seen = new Map<string, PostChoice>();
  for (const p of posts) {
    const k = `${p.skillLevelId}:${p.postNameId}`;
    if (!seen.has(k))
      seen.set(k, {
        skillLevelId: p.skillLevelId,
        postNameId: p.postNameId,
        en: `${p.postNameEn || p.postNameHi} — ${p.skillLevelNameEn || p.skillLevelNameHi}`,
        hi: `${p.postNameHi || p.postNameEn} — ${p.skillLevelNameHi || p.skillLevelNameEn}`,
      });
  }
  return [...seen.values()];
}

/** exceljs 4.4 has range data validations (`worksheet.dataValidations`, written as one sqref) but its types do not say so. */
const validations = (ws: ExcelJS.Worksheet) =>
  (ws as unknown as { dataValidations: { add: (range: string, v: ExcelJS.DataValidation) => void } }).dataValidations;

const header = (locale: TLocale, c: TBulkColumn) => translator(locale)(`resource.bulk.col.${c}`);

function choiceLists() {
  const en = translator('en');
  const hi = translator('hi');
  const of = (prefix: string, codes: readonly string[]): Choice[] =>
    codes.map((code) => ({ code, labels: [en(`${prefix}.${code}`), hi(`${prefix}.${code}`)] }));
  return {
    relation: of('resource.bulk.relation', RELATIONS),
    gender: of('resource.gender', GENDERS),
    qualification: of('resource.qualification', QUALIFICATIONS),
  };
}

const norm = (s: string) => s.normalize('NFC').trim().toLocaleLowerCase('en-IN').replace(/\s+/g, ' ');

/** Header text in either language (or the column's key) → the column's key. */
export function headerAliases(): Map<string, TBulkColumn> {
  const out = new Map<string, TBulkColumn>();
  for (const c of BULK_COLUMNS) {
    out.set(c, c);
    for (const l of ['en', 'hi'] as const) out.set(header(l, c), c);
  }
  return out;
}

/** Readers of a choice cell: a label in either language or the code → the code (else the text as given, which the schema refuses). */
export function choiceReaders() {
  const lists = choiceLists();
  const reader = (choices: Choice[]) => {
    const m = new Map<string, string>();
    for (const ch of choices) {
      m.set(norm(ch.code), ch.code);
      for (const l of ch.labels) m.set(norm(l), ch.code);
    }
    return (v: string) => m.get(norm(v)) ?? v.trim();
  };
  return { relation: reader(lists.relation), gender: reader(lists.gender), qualification: reader(lists.qualification) };
}

/** A post cell (label in either language) → its ids, or null. */
export function postReader(choices: PostChoice[]) {
  const m = new Map<string, PostChoice>();
  for (const p of choices) {
    m.set(norm(p.en), p);
    m.set(norm(p.hi), p);
  }
  return (v: string) => m.get(norm(v)) ?? null;
}

/** The template workbook for one contract, in the user's language. */
export async function buildTemplate(locale: TLocale, contract: { id: number; contractNo: string }, posts: PostChoice[]): Promise<Buffer> {
  const t = translator(locale);
  const wb = new (await excel()).Workbook();
  wb.creator = 'ROAMS';
  const data = wb.addWorksheet(BULK_SHEETS.data, { views: [{ state: 'frozen', ySplit: 1 }] });
  const help = wb.addWorksheet(BULK_SHEETS.instructions);
  const lists = wb.addWorksheet(BULK_SHEETS.lists);

  // Choices: one column per list, the header in row 1.
  const ch = choiceLists();
  const label = (c: Choice) => (locale === 'hi' ? c.labels[1]! : c.labels[0]!);
  const columns: [string, string[]][] = [
    [t('resource.bulk.col.post'), posts.map((p) => (locale === 'hi' ? p.hi : p.en))],
    [t('resource.bulk.col.relation'), ch.relation.map(label)],
    [t('resource.bulk.col.gender'), ch.gender.map(label)],
    [t('resource.bulk.col.qualification'), ch.qualification.map(label)],
  ];
  columns.forEach(([head, values], j) => {
    lists.getCell(1, j + 1).value = head;
    lists.getCell(1, j + 1).font = { bold: true };
    values.forEach((v, i) => {
      lists.getCell(i + 2, j + 1).value = v;
    });
    lists.getColumn(j + 1).width = Math.min(60, Math.max(16, ...values.map((v) => v.length + 2)));
  });
  const listRef = (j: number) => {
    const col = String.fromCharCode(65 + j);
    return `${BULK_SHEETS.lists}!$${col}$2:$${col}$${Math.max(2, columns[j]![1].length + 1)}`;
  };
  const listOf: Partial<Record<TBulkColumn, number>> = { post: 0, relation: 1, gender: 2, qualification: 3 };

  // The data sheet: headers, formats, drop-downs over the rows a file may hold.
  const last = MAX_BULK_ROWS + 1;
  BULK_COLUMNS.forEach((c, j) => {
    const cell = data.getCell(1, j + 1);
    cell.value = header(locale, c);
    cell.font = { bold: true };
    const col = data.getColumn(j + 1);
    col.width = Math.max(14, Math.min(40, String(cell.value).length + 4));
    col.numFmt = c === 'dob' ? DATE_FORMAT : '@';
    const letter = col.letter;
    const range = `${letter}2:${letter}${last}`;
    const li = listOf[c];
    if (li !== undefined)
      validations(data).add(range, {
        type: 'list',
        allowBlank: true,
        formulae: [listRef(li)],
        showErrorMessage: true,
        errorTitle: t('resource.bulk.tpl.pickTitle'),
        error: t('resource.bulk.tpl.pick'),
      });
    if (c === 'dob')
      validations(data).add(range, {
        type: 'date',
        operator: 'greaterThan',
        allowBlank: true,
        formulae: [new Date(Date.UTC(1900, 0, 1))],
        showErrorMessage: true,
        errorTitle: t('resource.bulk.tpl.dateTitle'),
        error: t('resource.bulk.tpl.date'),
      });
  });
  data.getRow(1).commit();

  // Instructions, with the contract's mark in B2.
  help.getColumn(1).width = 28;
  help.getColumn(2).width = 100;
  help.getCell(1, 1).value = t('resource.bulk.tpl.title', { contractNo: contract.contractNo });
  help.getCell(1, 1).font = { bold: true, size: 14 };
  help.getCell(MARK_CELL.row, 1).value = t('resource.bulk.tpl.templateId');
  help.getCell(MARK_CELL.row, MARK_CELL.col).value = `${TEMPLATE_MARK}${contract.id}`;
  help.getCell(3, 1).value = t('resource.field.contract');
  help.getCell(3, 2).value = contract.contractNo;
  const lines = TEMPLATE_LINES.map((k) => t(`resource.bulk.tpl.${k}`, { max: MAX_BULK_ROWS }));
  lines.forEach((line, i) => {
    help.getCell(5 + i, 1).value = `${i + 1}.`;
    help.getCell(5 + i, 2).value = line;
    help.getCell(5 + i, 2).alignment = { wrapText: true, vertical: 'top' };
  });
  const colStart = 6 + lines.length;
  help.getCell(colStart, 1).value = t('resource.bulk.tpl.columns');
  help.getCell(colStart, 1).font = { bold: true };
  BULK_COLUMNS.forEach((c, i) => {
    help.getCell(colStart + 1 + i, 1).value = header(locale, c);
    help.getCell(colStart + 1 + i, 2).value = t(`resource.bulk.hint.${c}`);
    help.getCell(colStart + 1 + i, 2).alignment = { wrapText: true, vertical: 'top' };
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The template's language-independent file name. */
export function templateFileName(contractNo: string): string {
  return `resources-template-${contractNo.replace(/[^A-Za-z0-9_-]+/g, '-')}.xlsx`;
}
