import { and, eq, inArray } from 'drizzle-orm';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { DbOrTx } from '../../db/client.ts';
import { users } from '../../platform/auth/auth.table.ts';
import { type FileStore, saveUpload } from '../../platform/files/files.ts';
import { createHash } from 'node:crypto';
import * as advRepo from './pd.adv.repo.ts';
import { bankOfIfsc, extensionOf, proofKindOf } from './pd.adv.rules.ts';
import * as repo from './pd.repo.ts';
import { entriesFor } from './pd.rules.ts';
import { pdAccounts, pdEcheques, pdLines } from './pd.table.ts';

const RUPEE = 100;

/** Small real documents for the demo's proofs: a one-page PDF, a PNG and a JPEG. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAgAAAAECAIAAAA8r+mnAAAAEUlEQVR4nGN49uEXVsRAPQkAkuNaAZei9JYAAAAASUVORK5CYII=', 'base64');
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);

/**
 * Demo vendor master and advices (issue 18 item 4), after pd.demo.ts, so that the PD
 * administrator and the Bhopal treasury officer meet every state:
 * - vendor 1 on account 3 (Indore: the matrix's foreign vendor; advice 1 there is pd.demo.ts's);
 * - account 1's vendors, one per proof kind (cancelled cheque as PNG, bank statement as PDF,
 *   passbook as JPEG), linked to the demo e-cheques that pay them;
 * - an approved advice on account 1 holding its prepared vendor and book-transfer e-cheques (on
 *   the treasury's vendor and BT worklists);
 * - a draft advice awaiting the administrator's approval with two new vendor e-cheques, and one
 *   more prepared e-cheque in no advice, to select into a new one.
 */
export async function seedPdAdvDemo(tx: DbOrTx, files: FileStore, now: Date): Promise<void> {
  const [maker] = await tx.select({ id: users.id }).from(users).where(eq(users.username, 'pd_admin'));
  if (!maker) return;
  const accounts = await tx.select({ id: pdAccounts.id, nameEn: pdAccounts.nameEn }).from(pdAccounts).orderBy(pdAccounts.id);
  const [a1, , a3] = accounts;
  if (!a1 || !a3) return;

  const vendor = async (
    accountId: number,
    name: string,
    bankAccountNo: string,
    ifsc: string,
    proofKind: 'cancelled_cheque' | 'bank_statement' | 'passbook',
    bytes: Buffer,
  ) => {
    const mime = proofKindOf(bytes)!;
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const { file } = await saveUpload(tx, files, { bytes, sha256, sizeBytes: bytes.length, mime, safeName: `${proofKind}${extensionOf(mime)}` }, maker.id, now);
    const v = await advRepo.insertVendor(tx, {
      accountId,
      name,
      bankAccountNo,
      bankName: bankOfIfsc(ifsc),
      ifsc,
      proofKind,
      proofFileId: file.id,
      createdBy: maker.id,
      createdAt: now,
    });
    // The demo's e-cheques to this payee name it from the master.
    await tx
      .update(pdEcheques)
      .set({ vendorId: v.id })
      .where(and(eq(pdEcheques.accountId, accountId), eq(pdEcheques.payeeAccountNo, bankAccountNo), eq(pdEcheques.payeeIfsc, ifsc)));
    return v;
  };

  // Account 3 first: vendor 1 is the matrix's foreign vendor.
  await vendor(a3.id, 'Indore Stationers', '30214456789', 'SBIN0000432', 'bank_statement', PDF);
  const narmada = await vendor(a1.id, 'Narmada Manpower Services', '50100234567812', 'HDFC0001234', 'cancelled_cheque', PNG);
  const malwa = await vendor(a1.id, 'Malwa Office Supplies', '38112004567', 'SBIN0001308', 'bank_statement', PDF);
  const printing = await vendor(a1.id, 'Bhopal Printing Works', '1234567890123', 'PUNB0123400', 'passbook', JPEG);

  // Account 1's prepared e-cheques from pd.demo.ts (vendor and book transfer) go to the treasury in an approved advice.
  const waiting = await tx
    .select({ id: pdEcheques.id })
    .from(pdEcheques)
    .where(and(eq(pdEcheques.accountId, a1.id), inArray(pdEcheques.idempotencyKey, ['demo-a1-3', 'demo-a1-4'])));
  if (waiting.length > 0)
    await advRepo.insertApprovedAdvice(tx, { accountId: a1.id, echequeIds: waiting.map((e) => e.id), by: maker.id, now, key: 'demo-advice-a1-approved' });

  // New e-cheques to vendors from the master: two in a draft advice, one in none.
  const [line] = await tx.select().from(pdLines).where(eq(pdLines.accountId, a1.id)).orderBy(pdLines.id).limit(1);
  if (!line) return;
  const today = todayIst(now);
  const prepare = async (v: typeof narmada, rupees: number, key: string) => {
    const amount = rupees * RUPEE;
    const e = await repo.insertEcheque(tx, {
      accountId: a1.id,
      lineId: line.id,
      payeeKind: 'vendor',
      payeeName: v.name,
      payeeAccountNo: v.bankAccountNo,
      payeeIfsc: v.ifsc,
      vendorId: v.id,
      amountPaise: amount,
      purpose: '',
      idempotencyKey: `demo-${key}`,
      requestHash: 'demo',
      preparedBy: maker.id,
      preparedAt: now,
    });
    await repo.post(
      tx,
      {
        accountId: a1.id,
        lineId: line.id,
        kind: 'echeque_prepared',
        echequeId: e.id,
        reference: `e-cheque ${e.id}`,
        valueDate: today,
        createdBy: maker.id,
        createdAt: now,
      },
      entriesFor('echeque_prepared', amount),
    );
    return e.id;
  };
  const d1 = await prepare(narmada, 52_000, 'a1-5');
  const d2 = await prepare(malwa, 18_500, 'a1-6');
  await advRepo.insertAdvice(tx, { accountId: a1.id, idempotencyKey: 'demo-advice-a1-draft', requestHash: 'demo', createdBy: maker.id, createdAt: now }, [
    d1,
    d2,
  ]);
  await prepare(printing, 9_750, 'a1-7');
}
