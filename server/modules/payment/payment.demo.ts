import type { DbOrTx } from '../../db/client.ts';

/** Demo data for payments (filled in below, once the domain is tested). */
export async function seedPaymentDemo(_tx: DbOrTx, _now: Date): Promise<void> {}
