import { sql } from 'drizzle-orm';
import type { AccessSource } from '../../platform/access/access.ts';

/**
 * Proposals to open PD accounts for the access layer (kind `pd_proposal`, issue 18 item 1).
 * A proposal (`pp`) sits in its department; it names no treasury (its rows do), so a treasury
 * reaches no proposal as a whole. A row (`pr`, the administrator's application to one treasury)
 * sits in the proposal's department and at its treasury: the treasury officer reaches the rows
 * at its treasury, and only those.
 */
export const pdProposalAccess: AccessSource = {
  kind: 'pd_proposal',
  from: sql`pd_proposals pp`,
  id: sql`pp.id`,
  columns: { departmentId: sql`pp.department_id`, treasuryId: sql`null::int` },
};

export const pdProposalRowAccess: AccessSource = {
  kind: 'pd_proposal',
  from: sql`pd_proposal_rows pr join pd_proposals pp on pp.id = pr.proposal_id`,
  id: sql`pr.id`,
  columns: { departmentId: sql`pp.department_id`, treasuryId: sql`pr.treasury_id` },
};
