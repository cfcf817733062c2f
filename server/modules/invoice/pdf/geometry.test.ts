import { readFileSync } from 'node:fs';
import { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';
import { describe, expect, it } from 'vitest';
import { resourceTableGeometry, type TableRow, totalsRowHeights, totalsValueWidth, widthEm } from './geometry.ts';

// The invoice's only font (render.ts); its emphasis is stroked, so "bold" below is set in the
// same glyphs — the bold estimates (wider) must still never fall short of it.
const FONTS = [readFileSync(new URL('./fonts/NotoSansInvoice-Regular.ttf', import.meta.url))];

/** Widths in em of each string as Typst sets it with the invoice's fonts (regular, then bold). */
function typstWidths(samples: string[]): { regular: number; bold: number }[] {
  const compiler = NodeCompiler.create({ fontArgs: [{ fontBlobs: FONTS }] });
  const src = `#set text(font: "Noto Sans Invoice", size: 100pt)
#let s = json(bytes(sys.inputs.samples))
#context [#metadata(s.map(x => (regular: measure(text(x)).width / 100pt, bold: measure(text(weight: "bold", x)).width / 100pt))) <w>]`;
  const [w] = compiler.query({ mainFileContent: src, inputs: { samples: JSON.stringify(samples) } }, { selector: '<w>', field: 'value' });
  return w;
}

const SAMPLES = [
  'क्षितिज श्रीवास्तव',
  'सुनीता कुमारी',
  'बहु-कार्य कर्मचारी (श्रमिक)',
  'डाटा एंट्री ऑपरेटर',
  'श्रीमती ज्ञानवती त्रिपाठी',
  'र्म न्य स्त त्र क्ष ड़ ढ़ ॐ ।',
  'कंप्यूटर ऑपरेटर (संविदा)',
  'Ramesh Kumar Shrivastava',
  'MOHAMMED WASIM QURESHI',
  'mmmmmmmmmm WWWWWWWW',
  'Multi-Tasking Staff',
  '12,34,567.89',
  '-₹99,99,99,999.00',
  'XXXX XXXX 7838',
  '31/31',
  'Renée Ó Súilleabháin',
];

describe('invoice PDF table geometry (bar S8: widths worked out instead of measured by Typst)', () => {
  it('never estimates a text narrower than Typst sets it, Hindi conjuncts and matras included', () => {
    const real = typstWidths(SAMPLES);
    for (const [i, s] of SAMPLES.entries()) {
      const r = real[i] as { regular: number; bold: number };
      expect(widthEm(s), `${s} (regular)`).toBeGreaterThanOrEqual(r.regular);
      expect(widthEm(s, true), `${s} (bold)`).toBeGreaterThanOrEqual(r.bold);
      // …and not so wide that the columns would waste the page.
      expect(widthEm(s), `${s} (regular)`).toBeLessThan(r.regular * 1.6);
    }
  });

  const row = (over: Partial<TableRow> = {}): TableRow => ({
    sn: '1',
    name: 'सुनीता कुमारी',
    aadhaar: 'XXXX XXXX 1000',
    postHi: 'कार्यालय सहायक',
    postEn: 'Office Assistant',
    paidDays: '31/31',
    figures: ['12,150.00', '1,579.50', '394.88', '1,012.10'],
    total: '15,136.48',
    ...over,
  });
  const headers = ['S. No.', 'Name', 'Aadhaar', 'Post', 'Paid days', 'Wage', 'EPF', 'ESIC', 'Bonus', 'Total'].map((en) => ({ hi: 'वेतन', en }));

  it('fixes the height of an ordinary row and leaves a row that may not fit to Typst (auto)', () => {
    const long = 'Venkata Satya Narayana Murthy Subrahmanya Lakshmi Prasanna Kumar Rao Chowdary Srinivasa';
    const g = resourceTableGeometry(headers, [row(), row({ name: long }), row({ postHi: 'सहायक '.repeat(12) }), row({ name: 'Ram Kumar Verma Sharma' })]);
    expect(g.cols).toHaveLength(10);
    expect(g.cols[1]).toBe('fr');
    const fixed = g.cols.reduce<number>((s, w) => s + (typeof w === 'number' ? w : 0), 0);
    expect(fixed).toBeLessThan(480);
    expect(g.rows[0]).toBeGreaterThan(18);
    expect(g.rows[1]).toBeNull();
    expect(g.rows[2]).toBeNull();
    expect(g.rows[3]).toBeGreaterThan(18);
  });

  it('keeps 30 mm for the names when long posts and large figures compete for the width, the posts wrapping', () => {
    const big = '99,99,999.99';
    const post = 'Junior Accounts Assistant and Store In-charge (Contract)';
    const g = resourceTableGeometry(headers, [row({ postEn: post, figures: [big, big, big, big], total: '1,23,45,678.90' }), row()]);
    const fixed = g.cols.reduce<number>((s, w) => s + (typeof w === 'number' ? w : 0), 0);
    expect(595.28 - (22 * 72) / 25.4 - fixed).toBeGreaterThanOrEqual((30 * 72) / 25.4 - 0.01);
    expect(g.rows[0]).toBeNull(); // the long post wraps: Typst measures that row
    // The room came out of the post column, not out of a figures column.
    expect(g.cols[3] as number).toBeLessThan(resourceTableGeometry(headers, [row({ postEn: post })]).cols[3] as number);
    expect(g.cols[9] as number).toBeGreaterThanOrEqual(widthEm('1,23,45,678.90', true) * 7.6 + 6);
  });

  it('widens a figures column to its widest amount', () => {
    const narrow = resourceTableGeometry(headers, [row()]);
    const wide = resourceTableGeometry(headers, [row(), row({ total: '99,99,99,999.99' })]);
    expect(wide.cols[9] as number).toBeGreaterThanOrEqual(Math.ceil(widthEm('99,99,99,999.99', true) * 7.6 + 6));
    expect(wide.cols[9] as number).toBeGreaterThan(narrow.cols[9] as number);
  });

  it('fixes a totals row only when its label certainly fits on one line', () => {
    const totals = [
      { label: { hi: 'उप-योग', en: 'Sub-total' }, value: '₹2,36,144.10', strong: false },
      { label: { hi: 'कुल योग', en: 'Total' }, value: '₹3,08,693.00', strong: true },
      { label: { hi: 'सेवा शुल्क के बाद प्रतिपूर्ति (बोनस)', en: 'Reimbursed after service charge (bonus)' }, value: '₹16,368.50', strong: false },
      { label: { hi: 'क'.repeat(80), en: 'x' }, value: '₹1.00', strong: false },
    ];
    const rows = totalsRowHeights(totals, totalsValueWidth(totals));
    expect(rows[0]).toBeGreaterThanOrEqual(6.95 + 6); // a line of Devanagari and the insets
    expect(rows[1]).toBeGreaterThanOrEqual(6.95 + 6);
    expect(rows[2]).toBeNull(); // wraps in the 110 mm table: Typst measures that row
    expect(rows[3]).toBeNull();
  });
});
