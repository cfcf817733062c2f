import type { ServerModule } from '../platform/module.ts';
import { provideContractParties } from './agency/index.ts';
import { attendanceModule } from './attendance/attendance.module.ts';
import { agencyModule } from './agency/agency.module.ts';
import { contractFactsSql, coveredFor } from './contract/index.ts';
import { contractModule } from './contract/contract.module.ts';
import { orgModule } from './org/org.module.ts';
import { paymentModule } from './payment/payment.module.ts';
import { pdModule } from './pd/pd.module.ts';
import { proofGate } from './proof/index.ts';
import { proofModule } from './proof/proof.module.ts';
import { ratesModule } from './rates/rates.module.ts';
import { provideProofGate } from './invoice/index.ts';
import { invoiceModule } from './invoice/invoice.module.ts';
import { deployedCounts } from './resource/index.ts';
import { resourceModule } from './resource/resource.module.ts';
import { provideCapacityCounts } from './sanction/index.ts';
import { sanctionModule } from './sanction/sanction.module.ts';
import { usersModule } from './users/users.module.ts';

/**
 * Every module, in dependency order (the demo seed runs in this order: contracts need rates,
 * agencies and sanctioned posts). Adding a module: its folder with a `<name>.module.ts`, one line
 * here, its tables in server/db/schema.ts (for drizzle-kit), its catalogs and its web feature —
 * server/test/registry.test.ts fails on anything forgotten.
 */
export const MODULES: readonly ServerModule[] = [
  orgModule,
  usersModule,
  sanctionModule,
  agencyModule,
  ratesModule,
  contractModule,
  resourceModule,
  attendanceModule,
  invoiceModule,
  proofModule,
  paymentModule,
  pdModule,
];

/**
 * Seams (docs/ARCHITECTURE.md "Seams"): a module that needs a count or a relation from a module
 * that depends on it declares a provider, wired here once, when the registry is loaded (before
 * any request, seed or job). Sanction's capacity takes covered posts from contracts and deployed
 * people from resources; the agency's oversight rule takes contracts' parties.
 */
provideCapacityCounts({ covered: coveredFor, deployed: deployedCounts });
provideContractParties(contractFactsSql);
// The DDO's approval of an invoice is held by the agency's statutory proof for the month before (issue 17 item 2).
provideProofGate(proofGate);
