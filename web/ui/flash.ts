/**
 * A message carried from one page to the next across a redirect ("order saved", "agency
 * registered"): set before navigating, taken (once) by the page that shows it. Each feature keeps
 * its own slot with the shape it needs; keep catalog keys and parameters, not translated text,
 * where the message should follow a change of language.
 */
/** A message as a catalog key and its parameters, translated when shown (so it follows a change of language). */
export type TFlashMsg = { key: string; params?: Record<string, string | number> };

export function flashSlot<T>() {
  let pending: T | null = null;
  return {
    set(v: T) {
      pending = v;
    },
    take(): T | null {
      const v = pending;
      pending = null;
      return v;
    },
  };
}
