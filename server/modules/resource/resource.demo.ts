import type { DbOrTx } from '../../db/client.ts';
import type { FileStore } from '../../platform/files/files.ts';

/** Demo resources under the demo contracts (filled in below). */
export async function seedResourceDemo(_tx: DbOrTx, _files: FileStore, _now: Date): Promise<void> {}
