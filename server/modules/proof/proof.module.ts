import type { ServerModule } from '../../platform/module.ts';
import { seedProofDemo } from './proof.demo.ts';
import { proofAccess } from './proof.policy.ts';
import { proofRoutes } from './proof.routes.ts';
import * as tables from './proof.table.ts';

/**
 * The statutory proof's manifest (spec 06 "Statutory proof and the gate", issue 17 item 2): the
 * agency's EPFO ECR and ESIC challan per wage month, reconciled with ROAMS's invoices, and the
 * gate the DDO's approval passes (`proofGate`, index.ts).
 */
export const proofModule: ServerModule = {
  name: 'proof',
  routes: (deps, opts) => proofRoutes(deps, opts),
  tables,
  access: [proofAccess],
  seedDemo: (tx, { files, now }) => seedProofDemo(tx, files, now),
};
