import { describe, expect, it } from 'vitest';
import { GST_STATE_CODES, gstinCheckChar, gstinProblem, ifscProblem, maskAccount, normaliseId, panProblem } from './identifiers.ts';

describe('PAN', () => {
  it('accepts real-shaped PANs of every holder type, in any case', () => {
    for (const p of ['AAPFU0939F', 'AABCN1234F', 'BKRPS4321M', 'AAAHA1234B', 'AAAAT1234C', 'AAAGM0289C', 'aabcn1234f', ' AABCN1234F '])
      expect(panProblem(p), p).toBeNull();
  });
  it('refuses a wrong shape as pan_format', () => {
    for (const p of ['', 'AABCN1234', 'AABCN12345', '1ABCN1234F', 'AABCNX234F', 'AABCN1234FF', 'AAB N1234F']) expect(panProblem(p), p).toBe('pan_format');
  });
  it('refuses a fourth letter that is not a holder type (C P H F A T B L J G)', () => {
    for (const p of ['AABXN1234F', 'AABDN1234F', 'AABZN1234F', 'AABKN1234F']) expect(panProblem(p), p).toBe('pan_holder_type');
  });
});

describe('GSTIN', () => {
  it('accepts GSTINs with the right check character (GSTN published examples and the demo agencies)', () => {
    for (const g of ['27AAPFU0939F1ZV', '29AAGCR4375J1ZU', '23AABCN1234F1Z4', '23AAFFS5678K1ZQ', '23BKRPS4321M1ZP', '27aapfu0939f1zv'])
      expect(gstinProblem(g), g).toBeNull();
  });
  it('computes the check character by the base-36 mod-36 scheme', () => {
    expect(gstinCheckChar('27AAPFU0939F1Z')).toBe('V');
    expect(gstinCheckChar('29AAGCR4375J1Z')).toBe('U');
  });
  it('refuses a changed check character or a changed body', () => {
    expect(gstinProblem('27AAPFU0939F1ZA')).toBe('gstin_check_char');
    expect(gstinProblem('27AAPFU0939F2ZV')).toBe('gstin_check_char');
    expect(gstinProblem('27AAPFU0938F1ZV')).toBe('gstin_check_char');
  });
  it('refuses a wrong shape', () => {
    for (const g of ['', '27AAPFU0939F1Z', '27AAPFU0939F1YV', '27AAPFU0939F0ZV', 'A7AAPFU0939F1ZV', '27AAPF00939F1ZV'])
      expect(gstinProblem(g), g).toBe('gstin_format');
  });
  it('refuses a state code that GSTN has not published', () => {
    expect(Object.keys(GST_STATE_CODES)).toHaveLength(40);
    // Body valid, check character recomputed, so only the state code is wrong.
    for (const sc of ['00', '39', '50', '96', '98']) {
      const first14 = `${sc}AAPFU0939F1Z`;
      expect(gstinProblem(first14 + gstinCheckChar(first14)), sc).toBe('gstin_state_code');
    }
    for (const sc of ['01', '23', '38', '97', '99']) {
      const first14 = `${sc}AAPFU0939F1Z`;
      expect(gstinProblem(first14 + gstinCheckChar(first14)), sc).toBeNull();
    }
  });
  it("checks that the PAN inside the GSTIN (characters 3–12) is the agency's PAN", () => {
    expect(gstinProblem('27AAPFU0939F1ZV', 'AAPFU0939F')).toBeNull();
    expect(gstinProblem('27AAPFU0939F1ZV', 'aapfu0939f')).toBeNull();
    expect(gstinProblem('27AAPFU0939F1ZV', 'AABCN1234F')).toBe('gstin_pan_mismatch');
  });
});

describe('IFSC', () => {
  it('accepts real IFSCs, lower case after upper-casing', () => {
    for (const i of ['SBIN0001308', 'HDFC0000123', 'PUNB0123400', 'sbin0001308', 'IcIc0A1B2C3']) expect(ifscProblem(i), i).toBeNull();
    expect(normaliseId(' sbin0001308 ')).toBe('SBIN0001308');
  });
  it('refuses a wrong shape', () => {
    for (const i of ['', 'SBIN1001308', 'SBI00001308', 'SBIN000130', 'SBIN00013088', 'SBIN0-01308', '1BIN0001308'])
      expect(ifscProblem(i), i).toBe('ifsc_format');
  });
});

describe('bank account masking', () => {
  it('keeps only the last four digits', () => {
    expect(maskAccount('30211456789')).toBe('XXXXXXX6789');
    expect(maskAccount('1234')).toBe('1234');
  });
});
