import { flashSlot } from '../../ui/flash.ts';

/** "Agency registered", carried to the agency page as a catalog key + parameters (follows a change of language). */
export const agencyFlash = flashSlot<{ key: string; params: Record<string, string> }>();
