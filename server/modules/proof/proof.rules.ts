import type { TProofDifference } from '../../../shared/contracts/proof.ts';
import { billedRupees, type EcrRow, rupeesToPaise } from '../../../shared/domain/ecr.ts';

/**
 * The reconciliation of an ECR and an ESIC challan with ROAMS's own invoices (spec 06, issue 17
 * item 2). Rules chosen (docs/PROOF.md):
 * - Who must appear: every resource on an active invoice of the agency for the wage month whose
 *   invoice billed EPF for it (an `EPF_ER` line: contracts without EPF bill none, and then the
 *   worker need not be in the ECR). A worker on two invoices of the month (moved between
 *   contracts) is one member: the billed EPF wages add up.
 * - The billed EPF wage is the base of the `EPF_ER` line — the PF wage with the EPF ceiling
 *   already applied when the contract caps EPF — so a capped contract expects ₹15,000, not more.
 * - The ECR is in whole rupees: the billed wage is rounded to the rupee half up before the
 *   comparison (`billedRupees`); the ECR's EPF wages must be at least that. More is fine.
 * - ESIC: the challan amount must cover the ESIC billed on those invoices (employer and employee
 *   lines). A shortfall is a difference and blocks like a missing worker: the department paid
 *   that money to the agency to remit. A challan may cover more (other workers of the agency).
 * - A worker billed without a UAN in ROAMS cannot be found: listed as `no_uan`.
 */
export type BilledMember = { resourceId: number; uan: string; nameEn: string; nameHi: string; epfWagePaise: number };

export type Reconciliation = {
  differences: TProofDifference[];
  status: 'reconciled' | 'differences';
  /** Billed members with a UAN, and how many of them the ECR has. */
  withUan: number;
  found: number;
};

export function reconcile(
  billed: readonly BilledMember[],
  ecr: ReadonlyMap<string, Pick<EcrRow, 'epfWages'>>,
  esic: { billedPaise: number; challanPaise: number },
): Reconciliation {
  const differences: TProofDifference[] = [];
  let withUan = 0;
  let found = 0;
  for (const m of billed) {
    const who = { resourceId: m.resourceId, uan: m.uan, nameEn: m.nameEn, nameHi: m.nameHi, billedPaise: m.epfWagePaise };
    if (m.uan === '') {
      differences.push({ kind: 'no_uan', ...who, foundPaise: null });
      continue;
    }
    withUan += 1;
    const row = ecr.get(m.uan);
    if (!row) {
      differences.push({ kind: 'missing', ...who, foundPaise: null });
      continue;
    }
    found += 1;
    if (row.epfWages < billedRupees(m.epfWagePaise)) differences.push({ kind: 'wage_short', ...who, foundPaise: rupeesToPaise(row.epfWages) });
  }
  if (esic.challanPaise < esic.billedPaise) {
    differences.push({ kind: 'esic_short', resourceId: null, uan: '', nameEn: '', nameHi: '', billedPaise: esic.billedPaise, foundPaise: esic.challanPaise });
  }
  return { differences, status: differences.length ? 'differences' : 'reconciled', withUan, found };
}

/** The first day of the month before `month` ('YYYY-MM-01' → 'YYYY-MM-01'). */
export function previousMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 1 ? `${y - 1}-12-01` : `${y}-${String(m - 1).padStart(2, '0')}-01`;
}
