import { describe, expect, it } from 'vitest';
import { amountInWordsEn, amountInWordsHi } from './amount-words.ts';

describe('amount in words, Indian system', () => {
  it.each([
    [0, 'Rupees Zero Only', 'शून्य रुपये मात्र'],
    [1, 'One Paisa Only', 'एक पैसा मात्र'],
    [44, 'Forty-Four Paise Only', 'चवालीस पैसे मात्र'],
    [100, 'Rupees One Only', 'एक रुपया मात्र'],
    [10_000_000, 'Rupees One Lakh Only', 'एक लाख रुपये मात्र'],
    [1_000_000_000, 'Rupees One Crore Only', 'एक करोड़ रुपये मात्र'],
    [1_730_844, 'Rupees Seventeen Thousand Three Hundred Eight and Forty-Four Paise Only', 'सत्रह हज़ार तीन सौ आठ रुपये और चवालीस पैसे मात्र'],
    [2_325_873, 'Rupees Twenty-Three Thousand Two Hundred Fifty-Eight and Seventy-Three Paise Only', 'तेईस हज़ार दो सौ अट्ठावन रुपये और तिहत्तर पैसे मात्र'],
    // ₹12,34,56,789.01: above a crore.
    [
      123_456_789_01,
      'Rupees Twelve Crore Thirty-Four Lakh Fifty-Six Thousand Seven Hundred Eighty-Nine and One Paisa Only',
      'बारह करोड़ चौंतीस लाख छप्पन हज़ार सात सौ नवासी रुपये और एक पैसा मात्र',
    ],
    // ₹99,99,99,99,999.99: the largest the invoice must spell; crores counted in the Indian system.
    [
      99_99_99_99_999_99,
      'Rupees Nine Thousand Nine Hundred Ninety-Nine Crore Ninety-Nine Lakh Ninety-Nine Thousand Nine Hundred Ninety-Nine and Ninety-Nine Paise Only',
      'नौ हज़ार नौ सौ निन्यानवे करोड़ निन्यानवे लाख निन्यानवे हज़ार नौ सौ निन्यानवे रुपये और निन्यानवे पैसे मात्र',
    ],
    [-150, 'Minus Rupees One and Fifty Paise Only', 'ऋण एक रुपया और पचास पैसे मात्र'],
  ])('%i paise', (paise, en, hi) => {
    expect(amountInWordsEn(paise)).toBe(en);
    expect(amountInWordsHi(paise)).toBe(hi);
  });

  it('spells hundreds of crores and thousands of crores', () => {
    expect(amountInWordsEn(100_00_00_000_00n)).toBe('Rupees One Hundred Crore Only');
    expect(amountInWordsHi(1_000_00_00_000_00n)).toBe('एक हज़ार करोड़ रुपये मात्र');
  });

  it('has a distinct Hindi word for every number 1–99', () => {
    const words = new Set<string>();
    for (let n = 1; n <= 99; n++) words.add(amountInWordsHi(n));
    expect(words.size).toBe(99);
    // Spot checks of the irregular ones.
    expect(amountInWordsHi(79)).toBe('उन्यासी पैसे मात्र');
    expect(amountInWordsHi(89)).toBe('नवासी पैसे मात्र');
    expect(amountInWordsHi(67)).toBe('सड़सठ पैसे मात्र');
  });

  it('refuses an amount that is not an integer number of paise', () => {
    expect(() => amountInWordsEn(1.5)).toThrow(RangeError);
    expect(() => amountInWordsHi(Number.MAX_SAFE_INTEGER + 2)).toThrow(RangeError);
  });
});
