import type { TEchequeCreate } from '../../../shared/contracts/pd.ts';
import type { DbOrTx } from '../../db/client.ts';
import { AppError } from '../../platform/errors.ts';
import * as advRepo from './pd.adv.repo.ts';

/**
 * The payee written on a new e-cheque (issue 18 item 4): a vendor e-cheque's payee comes from the
 * account's vendor master — its name, bank account and IFSC are copied at preparation, so a later
 * master change never alters a prepared cheque; a book transfer keeps its head of account. A
 * vendor of another account (or none) is refused like an unknown one: 400, nothing saved.
 */
export async function payeeOf(
  db: DbOrTx,
  accountId: number,
  input: TEchequeCreate,
): Promise<{ payeeName: string; payeeAccountNo: string; payeeIfsc: string; headOfAccount: string; vendorId: number | null }> {
  if (input.payeeKind === 'book_transfer')
    return { payeeName: input.payeeName, payeeAccountNo: '', payeeIfsc: '', headOfAccount: input.headOfAccount, vendorId: null };
  const v = await advRepo.getVendor(db, input.vendorId);
  if (!v || v.accountId !== accountId) throw new AppError('pd_vendor_not_on_account', { errors: [{ field: 'vendorId', code: 'not_found' }] });
  return { payeeName: v.name, payeeAccountNo: v.bankAccountNo, payeeIfsc: v.ifsc, headOfAccount: '', vendorId: v.id };
}

/** The treasury decides only e-cheques of an approved advice (seed 004 para 3(6)); the database refuses it too (migration 0035). */
export async function requireAdvised(db: DbOrTx, echequeId: number): Promise<void> {
  if (!(await advRepo.isAdvised(db, echequeId))) throw new AppError('pd_echeque_not_advised');
}
