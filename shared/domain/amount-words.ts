/**
 * An amount of money in words, in the Indian system (thousand, lakh, crore), in English and Hindi,
 * as printed on an invoice. Integer paise in, no floating point. Above a crore the count of crores
 * is itself spelt in the Indian system ("Nine Thousand Nine Hundred Ninety-Nine Crore …"), the way
 * Indian invoices and cheques write it, rather than arab / kharab.
 *
 *   amountInWordsEn(1730844) → 'Rupees Seventeen Thousand Three Hundred Eight and Forty-Four Paise Only'
 *   amountInWordsHi(1730844) → 'सत्रह हज़ार तीन सौ आठ रुपये और चवालीस पैसे मात्र'
 */

const EN_ONES = [
  'Zero',
  'One',
  'Two',
  'Three',
  'Four',
  'Five',
  'Six',
  'Seven',
  'Eight',
  'Nine',
  'Ten',
  'Eleven',
  'Twelve',
  'Thirteen',
  'Fourteen',
  'Fifteen',
  'Sixteen',
  'Seventeen',
  'Eighteen',
  'Nineteen',
];
const EN_TENS = ['', '', 'Twenty', 'Thirty', 'Forty', 'Fifty', 'Sixty', 'Seventy', 'Eighty', 'Ninety'];

/** Hindi number words 0–99: irregular, so a full table (index = the number). */
const HI_0_99 = [
  'शून्य',
  'एक',
  'दो',
  'तीन',
  'चार',
  'पाँच',
  'छह',
  'सात',
  'आठ',
  'नौ',
  'दस',
  'ग्यारह',
  'बारह',
  'तेरह',
  'चौदह',
  'पंद्रह',
  'सोलह',
  'सत्रह',
  'अठारह',
  'उन्नीस',
  'बीस',
  'इक्कीस',
  'बाईस',
  'तेईस',
  'चौबीस',
  'पच्चीस',
  'छब्बीस',
  'सत्ताईस',
  'अट्ठाईस',
  'उनतीस',
  'तीस',
  'इकतीस',
  'बत्तीस',
  'तैंतीस',
  'चौंतीस',
  'पैंतीस',
  'छत्तीस',
  'सैंतीस',
  'अड़तीस',
  'उनतालीस',
  'चालीस',
  'इकतालीस',
  'बयालीस',
  'तैंतालीस',
  'चवालीस',
  'पैंतालीस',
  'छियालीस',
  'सैंतालीस',
  'अड़तालीस',
  'उनचास',
  'पचास',
  'इक्यावन',
  'बावन',
  'तिरपन',
  'चौवन',
  'पचपन',
  'छप्पन',
  'सत्तावन',
  'अट्ठावन',
  'उनसठ',
  'साठ',
  'इकसठ',
  'बासठ',
  'तिरसठ',
  'चौंसठ',
  'पैंसठ',
  'छियासठ',
  'सड़सठ',
  'अड़सठ',
  'उनहत्तर',
  'सत्तर',
  'इकहत्तर',
  'बहत्तर',
  'तिहत्तर',
  'चौहत्तर',
  'पचहत्तर',
  'छिहत्तर',
  'सतहत्तर',
  'अठहत्तर',
  'उन्यासी',
  'अस्सी',
  'इक्यासी',
  'बयासी',
  'तिरासी',
  'चौरासी',
  'पचासी',
  'छियासी',
  'सत्तासी',
  'अट्ठासी',
  'नवासी',
  'नब्बे',
  'इक्यानवे',
  'बानवे',
  'तिरानवे',
  'चौरानवे',
  'पचानवे',
  'छियानवे',
  'सत्तानवे',
  'अट्ठानवे',
  'निन्यानवे',
];

function en99(n: number): string {
  if (n < 20) return EN_ONES[n] as string;
  const t = EN_TENS[Math.floor(n / 10)] as string;
  return n % 10 ? `${t}-${EN_ONES[n % 10]}` : t;
}

type Words = { small: (n: number) => string; hundred: string; thousand: string; lakh: string; crore: string };
const EN: Words = { small: en99, hundred: 'Hundred', thousand: 'Thousand', lakh: 'Lakh', crore: 'Crore' };
const HI: Words = { small: (n) => HI_0_99[n] as string, hundred: 'सौ', thousand: 'हज़ार', lakh: 'लाख', crore: 'करोड़' };

/** A positive whole number in words, Indian grouping; crores recurse. */
function spell(n: bigint, w: Words): string[] {
  const out: string[] = [];
  const crores = n / 10_000_000n;
  let rest = Number(n % 10_000_000n);
  if (crores > 0n) out.push(...spell(crores, w), w.crore);
  const lakhs = Math.floor(rest / 100_000);
  rest %= 100_000;
  if (lakhs) out.push(w.small(lakhs), w.lakh);
  const thousands = Math.floor(rest / 1000);
  rest %= 1000;
  if (thousands) out.push(w.small(thousands), w.thousand);
  const hundreds = Math.floor(rest / 100);
  rest %= 100;
  if (hundreds) out.push(w.small(hundreds), w.hundred);
  if (rest) out.push(w.small(rest));
  return out;
}

function split(paise: number | bigint): { neg: boolean; rupees: bigint; paise: number } {
  if (typeof paise === 'number' && !Number.isSafeInteger(paise)) throw new RangeError(`amount in paise must be a safe integer, got ${paise}`);
  const v = BigInt(paise);
  const abs = v < 0n ? -v : v;
  return { neg: v < 0n, rupees: abs / 100n, paise: Number(abs % 100n) };
}

/** 'Rupees Seventeen Thousand Three Hundred Eight and Forty-Four Paise Only'. */
export function amountInWordsEn(amountPaise: number | bigint): string {
  const { neg, rupees, paise } = split(amountPaise);
  const parts: string[] = [];
  if (rupees > 0n || paise === 0) parts.push('Rupees', rupees > 0n ? spell(rupees, EN).join(' ') : 'Zero');
  if (paise > 0) {
    if (parts.length) parts.push('and');
    parts.push(en99(paise), paise === 1 ? 'Paisa' : 'Paise');
  }
  return `${neg ? 'Minus ' : ''}${parts.join(' ')} Only`;
}

/** 'सत्रह हज़ार तीन सौ आठ रुपये और चवालीस पैसे मात्र'. */
export function amountInWordsHi(amountPaise: number | bigint): string {
  const { neg, rupees, paise } = split(amountPaise);
  const parts: string[] = [];
  if (rupees > 0n || paise === 0) parts.push(rupees > 0n ? spell(rupees, HI).join(' ') : 'शून्य', rupees === 1n ? 'रुपया' : 'रुपये');
  if (paise > 0) {
    if (parts.length) parts.push('और');
    parts.push(HI_0_99[paise] as string, paise === 1 ? 'पैसा' : 'पैसे');
  }
  return `${neg ? 'ऋण ' : ''}${parts.join(' ')} मात्र`;
}
