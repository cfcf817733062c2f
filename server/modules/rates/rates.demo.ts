import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { DbOrTx } from '../../db/client.ts';
import { skillLevels } from '../org/index.ts';
import { minimumWages } from './rates.table.ts';

/** The source named in shared data/README.md for the 1 Oct 2025 rows. */
export const MP_OCT_2025_NOTIFICATION = 'MP Labour Department notification (Oct 2025) as reproduced by labour-law publishers';

/**
 * Demo minimum wages: the 1 Oct 2025 Madhya Pradesh rows (server/db/seed/mp-minimum-wages.csv),
 * basic and VDA in paise. The CSV's effective_to (31 Mar 2026) is the notification's stated end,
 * not a row of ours: a row applies until the next one, and the 1 Apr / 1 Oct 2026 revisions are
 * not known — the rates screen shows them as missing (stale) and Finance enters them. Nothing
 * is carried forward or invented here.
 */
export async function seedRatesDemo(tx: DbOrTx, now: Date): Promise<void> {
  const csv = readFileSync(new URL('../../db/seed/mp-minimum-wages.csv', import.meta.url));
  const rows = parse(csv, { columns: true, skip_empty_lines: true }) as {
    skill_level: string;
    effective_from: string;
    basic_monthly_paise: string;
    vda_monthly_paise: string;
  }[];
  const skills = new Map((await tx.select({ id: skillLevels.id, code: skillLevels.code }).from(skillLevels)).map((s) => [s.code, s.id]));
  const values = rows
    .filter((r) => skills.has(r.skill_level))
    .map((r) => ({
      skillLevelId: skills.get(r.skill_level)!,
      effectiveFrom: r.effective_from,
      basicPaise: Number(r.basic_monthly_paise),
      vdaPaise: Number(r.vda_monthly_paise),
      notificationRef: MP_OCT_2025_NOTIFICATION,
      createdAt: now,
    }));
  if (values.length) await tx.insert(minimumWages).values(values);
}
