import { describe, expect, it } from 'vitest';
import {
  ageOn,
  ageProblem,
  documentKind,
  esicDueAt,
  esicIsOverdue,
  imageKind,
  istInstant,
  kycMismatches,
  maskDocNumber,
  maskedAadhaar,
  nameMatches,
} from './resource.rules.ts';

describe('resource rules', () => {
  it('counts whole years, a birthday not yet reached this year included', () => {
    expect(ageOn('2008-12-04', '2026-12-03')).toBe(17);
    expect(ageOn('2008-12-03', '2026-12-03')).toBe(18);
    expect(ageProblem('2008-12-04', '2026-12-03', 18, 62)).toBe(true);
    expect(ageProblem('2008-12-03', '2026-12-03', 18, 62)).toBe(false);
    expect(ageProblem('1964-12-03', '2026-12-03', 18, 62)).toBe(true); // 62 today: retired
    expect(ageProblem('1964-12-04', '2026-12-03', 18, 62)).toBe(false);
  });

  it('matches the e-KYC name in either script, ignoring case and spaces, and reports what differs', () => {
    expect(nameMatches({ nameEn: 'ramesh  kumar PATEL', nameHi: '' }, 'Ramesh Kumar Patel')).toBe(true);
    expect(nameMatches({ nameEn: '', nameHi: 'रमेश कुमार पटेल' }, 'रमेशकुमार पटेल')).toBe(true);
    expect(nameMatches({ nameEn: 'Ramesh Patel', nameHi: '' }, 'Ramesh Kumar Patel')).toBe(false);
    expect(kycMismatches({ nameEn: 'Ramesh Patel', nameHi: '', dob: '1988-04-13' }, { name: 'Ramesh Kumar Patel', dob: '1988-04-12' })).toEqual([
      { field: 'name', entered: 'Ramesh Patel', kyc: 'Ramesh Kumar Patel' },
      { field: 'dob', entered: '1988-04-13', kyc: '1988-04-12' },
    ]);
  });

  it('masks numbers and knows images by content', () => {
    expect(maskedAadhaar('1234')).toBe('XXXX XXXX 1234');
    expect(maskedAadhaar(null)).toBeNull();
    expect(maskDocNumber('K 1234567')).toBe('XXXX4567');
    expect(imageKind(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(imageKind(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('image/png');
    expect(imageKind(Buffer.from('%PDF-1.7'))).toBeNull();
  });
});

describe('ESIC reporting deadline and event documents', () => {
  const at = istInstant('2026-12-10', '09:30');
  it('reads an IST time', () => {
    expect(at.toISOString()).toBe('2026-12-10T04:00:00.000Z');
  });
  it('is overdue 24 hours after the accident when not reported, or when reported late', () => {
    expect(esicDueAt(at, 24).toISOString()).toBe('2026-12-11T04:00:00.000Z');
    expect(esicIsOverdue(at, null, new Date('2026-12-11T03:59:00Z'), 24)).toBe(false);
    expect(esicIsOverdue(at, null, new Date('2026-12-11T04:01:00Z'), 24)).toBe(true);
    expect(esicIsOverdue(at, new Date('2026-12-10T10:00:00Z'), new Date('2027-01-01T00:00:00Z'), 24)).toBe(false);
    expect(esicIsOverdue(at, new Date('2026-12-11T05:00:00Z'), new Date('2027-01-01T00:00:00Z'), 24)).toBe(true);
  });
  it('knows a PDF, JPEG or PNG by content, not by name', () => {
    expect(documentKind(Buffer.from('%PDF-1.4\n'))).toBe('application/pdf');
    expect(documentKind(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(documentKind(Buffer.from('PK\u0003\u0004 not a pdf'))).toBeNull();
  });
});
