/**
 * Minimum wages (and the rates to come) for the access layer: they are statewide data — one
 * notification applies to every office — so there is no record kind and no list condition.
 * Everyone with `rates.read` reads every row; only `rates.manage` (Finance) writes. The route
 * permission is the whole rule; this file says so, so that nobody looks for a missing one.
 */
export {};
