import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { billedRupees, decodeEcrText, type EcrRow, formatEcrLine, parseEcr } from './ecr.ts';

const row = (uan: string, name = 'Ramesh Kumar', epf = 15000): Omit<EcrRow, 'line'> => ({
  uan,
  name,
  grossWages: epf,
  epfWages: epf,
  epsWages: epf,
  edliWages: epf,
  eeShare: 1800,
  epsShare: 1250,
  erShare: 550,
  ncpDays: 0,
  refund: 0,
});

describe('ECR parser', () => {
  it('reads the EPFO example lines, field by field', () => {
    const { rows, problems } = parseEcr('100427607286#~#xy#~#15000#~#15000#~#15000#~#15000#~#1800#~#1250#~#550#~#0#~#0\r\n');
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      {
        line: 1,
        uan: '100427607286',
        name: 'xy',
        grossWages: 15000,
        epfWages: 15000,
        epsWages: 15000,
        edliWages: 15000,
        eeShare: 1800,
        epsShare: 1250,
        erShare: 550,
        ncpDays: 0,
        refund: 0,
      },
    ]);
  });

  it('accepts Devanagari names as given, and a byte-order mark', () => {
    const { rows, problems } = parseEcr(`\ufeff${formatEcrLine(row('100000000001', 'सुनीता देवी'))}\n${formatEcrLine(row('100000000002', 'रमेश कुमार'))}`);
    expect(problems).toEqual([]);
    expect(rows.map((r) => r.name)).toEqual(['सुनीता देवी', 'रमेश कुमार']);
  });

  it('refuses a wrong separator with the line number', () => {
    const text = `${formatEcrLine(row('100000000001'))}\n100000000002,Asha,15000,15000,15000,15000,1800,1250,550,0,0\n`;
    expect(parseEcr(text).problems).toEqual([{ line: 2, reason: 'ecr_separator' }]);
    const pipes = formatEcrLine(row('100000000003')).replaceAll('#~#', '|');
    expect(parseEcr(pipes).problems).toEqual([{ line: 1, reason: 'ecr_separator' }]);
  });

  it('refuses a missing or an extra column, naming the count', () => {
    const missing = formatEcrLine(row('100000000001')).replace(/#~#0$/, '');
    expect(parseEcr(missing).problems).toEqual([{ line: 1, reason: 'ecr_columns', count: 10 }]);
    expect(parseEcr(`${formatEcrLine(row('100000000001'))}#~#5`).problems).toEqual([{ line: 1, reason: 'ecr_columns', count: 12 }]);
  });

  it('refuses a UAN of 11 digits, letters in amounts, negatives, decimals, NCP days over 31 and duplicates', () => {
    const lines = [
      formatEcrLine(row('10000000001')),
      formatEcrLine({ ...row('100000000002'), grossWages: 'abc' as unknown as number }),
      formatEcrLine({ ...row('100000000003'), epfWages: -5 }),
      formatEcrLine({ ...row('100000000004'), refund: 10.5 }),
      formatEcrLine({ ...row('100000000005'), ncpDays: 40 }),
      formatEcrLine(row('100000000006')),
      formatEcrLine(row('100000000006')),
    ];
    const { rows, problems } = parseEcr(lines.join('\n'));
    expect(problems).toEqual([
      { line: 1, reason: 'ecr_uan', column: 'uan' },
      { line: 2, reason: 'ecr_amount', column: 'grossWages' },
      { line: 3, reason: 'ecr_negative', column: 'epfWages' },
      { line: 4, reason: 'ecr_amount', column: 'refund' },
      { line: 5, reason: 'ecr_ncp_days', column: 'ncpDays' },
      { line: 7, reason: 'ecr_duplicate_uan', column: 'uan', firstLine: 6 },
    ]);
    expect(rows.map((r) => r.line)).toEqual([6]);
  });

  it('refuses an empty file and an empty name', () => {
    expect(parseEcr('\n\n').problems).toEqual([{ line: 1, reason: 'ecr_empty' }]);
    expect(parseEcr(formatEcrLine(row('100000000001', '  '))).problems).toEqual([{ line: 1, reason: 'ecr_name', column: 'name' }]);
  });

  it('parses 50,000 lines, in time linear in the lines', () => {
    const file = (n: number) => {
      const lines: string[] = [];
      for (let i = 0; i < n; i++) lines.push(formatEcrLine(row(String(100_000_000_000 + i), i % 2 ? 'सुनीता देवी' : 'Asha Kumari')));
      return lines.join('\n');
    };
    const timed = (text: string) => {
      const t0 = performance.now();
      const r = parseEcr(text);
      return { r, ms: performance.now() - t0 };
    };
    const small = file(5_000);
    const big = file(50_000);
    timed(small); // warm up
    const a = timed(small);
    const b = timed(big);
    expect(b.r.problems).toEqual([]);
    expect(b.r.rows).toHaveLength(50_000);
    // Ten times the lines: about ten times the time (quadratic work would be a hundred times).
    expect(b.ms / Math.max(a.ms, 1)).toBeLessThan(40);
    expect(b.ms).toBeLessThan(15_000);
  });

  it('keeps at most the asked number of problems but counts them all', () => {
    const lines = Array.from({ length: 500 }, () => 'x');
    const r = parseEcr(lines.join('\n'), 10);
    expect(r.problems).toHaveLength(10);
    expect(r.problemCount).toBe(500);
  });

  it('reads back what it formats (property)', () => {
    const name = fc.stringMatching(/^[A-Za-z\u0900-\u097f][A-Za-z .\u0900-\u097f]{0,40}[A-Za-z\u0900-\u097f]$/);
    const amount = fc.integer({ min: 0, max: 9_999_999_999 });
    const member = fc.record({
      uan: fc.stringMatching(/^\d{12}$/),
      name,
      grossWages: amount,
      epfWages: amount,
      epsWages: amount,
      edliWages: amount,
      eeShare: amount,
      epsShare: amount,
      erShare: amount,
      ncpDays: fc.integer({ min: 0, max: 31 }),
      refund: amount,
    });
    fc.assert(
      fc.property(fc.uniqueArray(member, { selector: (m) => m.uan, maxLength: 30 }), (members) => {
        const { rows, problems } = parseEcr(members.map(formatEcrLine).join('\r\n'));
        if (members.length === 0) {
          expect(problems).toEqual([{ line: 1, reason: 'ecr_empty' }]);
          return;
        }
        expect(problems).toEqual([]);
        expect(rows.map(({ line: _l, ...r }) => r)).toEqual(members.map((m) => ({ ...m, name: m.name.trim().normalize('NFC') })));
      }),
    );
  });

  it('never accepts a line whose UAN is not 12 digits (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 20 }).filter((s) => !/^\s*\d{12}\s*$/.test(s) && !s.includes('#~#') && !s.includes('\n')),
        (uan) => {
          const { rows } = parseEcr(formatEcrLine(row(uan)));
          expect(rows).toEqual([]);
        },
      ),
    );
  });
});

describe('ECR helpers', () => {
  it('refuses binary content', () => {
    expect(decodeEcrText(Buffer.from('%PDF-1.4\n\0\0binary'))).toBeNull();
    expect(decodeEcrText(Buffer.from([0xff, 0xfe, 0x41]))).toBeNull();
    expect(decodeEcrText(Buffer.from('सुनीता#~#1', 'utf8'))).toBe('सुनीता#~#1');
  });

  it('rounds the billed wage to the rupee, half up', () => {
    expect(billedRupees(1_500_000)).toBe(15000);
    expect(billedRupees(1_234_549)).toBe(12345);
    expect(billedRupees(1_234_550)).toBe(12346);
    expect(billedRupees(0)).toBe(0);
  });
});
