import { flashSlot } from '../../ui/flash.ts';

/** "Order saved", carried from the create page to the order page. */
export const orderFlash = flashSlot<string>();
