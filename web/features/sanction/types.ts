// Shapes of the sanction API: the types inferred from the contract's Zod schemas.
export type {
  TCapacityRow,
  TNamed,
  TOrderKind,
  TPage,
  TSanctionOptions,
  TSanctionOrder,
  TSanctionOrderSummary,
  TSanctionPost,
  TSanctionPostInput,
  TSanctionPostOffice,
} from '../../../shared/contracts/sanction.ts';
