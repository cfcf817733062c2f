import type ExcelJS from 'exceljs';
import { excel } from '../../platform/tabular/excel.ts';
import type { IfmisBill } from '../../platform/adapters/ifmis.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import { guard } from '../../platform/tabular/tabular.ts';

/**
 * The bill as the spreadsheet IFMIS clerks key from: one sheet, the bill's head (bill no, DDO
 * code, budget line, gross, deductions, net, invoice PDF hash) then its deductions and its payees,
 * every header in English and Hindi ("Bill no / बिल संख्या"), money in rupees with two decimals.
 */
export async function billWorkbook(bill: IfmisBill): Promise<Buffer> {
  const en = translator('en');
  const hi = translator('hi');
  const both = (key: string) => `${en(key)} / ${hi(key)}`;
  const rupees = (p: number) => p / 100;
  const wb = new (await excel()).Workbook();
  const ws = wb.addWorksheet('Bill');
  const head: [string, string | number][] = [
    [both('payment.bill.billNo'), bill.billNo],
    [both('payment.bill.ddoCode'), bill.ddoCode],
    [both('payment.bill.budgetLine'), bill.budgetLine],
    [both('payment.bill.gross'), rupees(bill.grossPaise)],
    [both('payment.bill.deductions'), rupees(bill.deductionsPaise)],
    [both('payment.bill.net'), rupees(bill.netPaise)],
    [both('payment.bill.pdfHash'), bill.invoicePdfSha256],
  ];
  for (const [k, v] of head) ws.addRow([k, typeof v === 'string' ? guard(v) : v]);
  ws.addRow([]);
  ws.addRow([both('payment.bill.deductionCode'), both('payment.bill.amount')]).font = { bold: true };
  for (const d of bill.deductions) ws.addRow([guard(d.code), rupees(d.amountPaise)]);
  ws.addRow([]);
  ws.addRow([
    both('payment.payee.seq'),
    both('payment.payee.kind'),
    both('payment.payee.name'),
    both('payment.payee.account'),
    both('payment.payee.ifsc'),
    both('payment.bill.amount'),
  ]).font = {
    bold: true,
  };
  for (const p of bill.payees)
    ws.addRow([
      p.seq,
      `${en(`payment.payeeKind.${p.kind}`)} / ${hi(`payment.payeeKind.${p.kind}`)}`,
      guard(p.name),
      guard(p.bankAccount),
      p.ifsc,
      rupees(p.amountPaise),
    ]);
  for (const row of [4, 5, 6]) ws.getRow(row).getCell(2).numFmt = '#,##0.00';
  ws.getColumn(1).width = 34;
  ws.getColumn(2).width = 28;
  ws.getColumn(3).width = 30;
  ws.getColumn(4).width = 22;
  ws.getColumn(6).width = 16;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
