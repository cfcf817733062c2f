import { sql } from 'drizzle-orm';
import type { TRecoveryBalanceGroup, TRecoveryBalances } from '../../../shared/contracts/invoice-recovery.ts';
import type { DbOrTx } from '../../db/client.ts';
import { reachOf, sourceCondition } from '../../platform/access/access.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { agencyNamesSql } from '../agency/index.ts';
import { contractFactsSql } from '../contract/index.ts';
import { invoiceAccess } from './invoice.policy.ts';

/**
 * The report of open recovery balances (docs/INVOICES.md "Recoveries carried forward — the report"):
 * every balance an active invoice carried forward that no live settlement has taken over (the same
 * rule as `openBalances`, invoice.recovery-carry.ts), grouped per contract and agency, the contracts
 * that have ended (expired or terminated — no later invoice will recover their balance) first.
 * Each balance is within the caller's reach exactly when the invoice that carried it is (the access
 * layer's invoice source: Finance all, department roles their office tree, the DDO the invoices its
 * code pays, auditors their scope). At most 5,000 balances are read (far above any real count: a
 * contract carries at most one balance per month and part).
 */
type Row = {
  contractId: number;
  contractNo: string;
  contractStatus: TRecoveryBalanceGroup['contractStatus'];
  agencyId: number;
  agencyName: string;
  invoiceId: number;
  invoiceNo: string;
  month: string;
  part: 'cost' | 'reimbursed';
  amountPaise: number;
};

const ENDED = new Set(['expired', 'terminated']);

export async function recoveryBalances(db: DbOrTx, ctx: Ctx, endedOnly: boolean): Promise<TRecoveryBalances> {
  const reach = await reachOf(db, actorOf(ctx));
  const r = await db.execute<Row>(sql`
    select b.contract_id as "contractId", c.contract_no as "contractNo", c.status as "contractStatus", b.agency_id as "agencyId",
           a.legal_name as "agencyName", b.invoice_id as "invoiceId", i.invoice_no as "invoiceNo", to_char(b.month, 'YYYY-MM') as month,
           b.part, b.amount_paise::float8 as "amountPaise"
      from invoice_recovery_balances b join invoices i on i.id = b.invoice_id
      join ${contractFactsSql()} c on c.id = b.contract_id
      join ${agencyNamesSql()} a on a.id = b.agency_id
     where b.released_at is null and i.status = 'active'
       and not exists (select 1 from invoice_recovery_settlements s where s.balance_id = b.id and s.released_at is null)
       and ${sourceCondition(reach, invoiceAccess)}
       ${endedOnly ? sql`and c.status in ('expired', 'terminated')` : sql``}
     order by (c.status in ('expired', 'terminated')) desc, c.contract_no, b.agency_id, i.generated_at, i.id, b.month, b.part
     limit 5000`);
  const groups = new Map<string, TRecoveryBalanceGroup>();
  for (const x of r.rows) {
    const k = `${x.contractId}:${x.agencyId}`;
    let g = groups.get(k);
    if (!g) {
      g = {
        contractId: x.contractId,
        contractNo: x.contractNo,
        contractStatus: x.contractStatus,
        contractEnded: ENDED.has(x.contractStatus),
        agencyId: x.agencyId,
        agencyName: x.agencyName,
        totalPaise: 0,
        balances: [],
      };
      groups.set(k, g);
    }
    const amountPaise = Number(x.amountPaise);
    g.totalPaise += amountPaise;
    g.balances.push({ invoiceId: x.invoiceId, invoiceNo: x.invoiceNo, month: x.month, part: x.part, amountPaise });
  }
  const items = [...groups.values()];
  return {
    items,
    totalPaise: items.reduce((s, g) => s + g.totalPaise, 0),
    endedTotalPaise: items.filter((g) => g.contractEnded).reduce((s, g) => s + g.totalPaise, 0),
  };
}
