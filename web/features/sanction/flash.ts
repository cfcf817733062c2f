import { flashSlot, type TFlashMsg } from '../../ui/flash.ts';

/** "Order saved", carried from the create page to the order page as a catalog key + parameters (follows a change of language). */
export const orderFlash = flashSlot<TFlashMsg>();
