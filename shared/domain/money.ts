/**
 * Money is an integer number of paise everywhere. Formatting follows the Indian system
 * (₹12,34,567.50). No floating point touches an amount.
 */
export function formatPaise(paise: number | bigint, opts: { symbol?: boolean } = {}): string {
  const v = BigInt(paise);
  const neg = v < 0n;
  const abs = neg ? -v : v;
  const rupees = (abs / 100n).toString();
  const p = (abs % 100n).toString().padStart(2, '0');
  const last3 = rupees.slice(-3);
  const rest = rupees.slice(0, -3);
  const grouped = rest ? `${rest.replace(/\B(?=(\d{2})+(?!\d))/g, ',')},${last3}` : last3;
  return `${neg ? '-' : ''}${opts.symbol === false ? '' : '₹'}${grouped}.${p}`;
}
