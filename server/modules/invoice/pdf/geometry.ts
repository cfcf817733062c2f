/**
 * Column widths and row heights of the invoice's resource table, worked out here from the data so
 * Typst need not measure every cell twice (bar S8: with `auto` columns and rows Typst lays out each
 * cell once to measure it and once more to place it — about half the cost of the whole page).
 *
 * Widths are estimates that err wide: digits, `,` `.` `-` `/` and printable ASCII use the exact
 * advance widths of the bundled Noto Sans, Devanagari those of Noto Sans Devanagari (measured
 * with Typst at 100 pt; kerning and conjuncts only narrow text), anything else as wider than any
 * Latin letter. A row gets a fixed
 * height only when every cell of it certainly fits (the name in at most two lines, each post on
 * one line); any other row stays `auto`, measured by Typst as before. Line heights are Typst's
 * (top edge at cap height, bottom at baseline, `par.leading` 0.45 em), measured once with the
 * separate fonts; with the merged font (fonts/merge.py) a Devanagari line is no taller, so the
 * fixed heights keep the rows as they were. The same holds for the totals table's rows.
 *
 * Since 2026-12-06 the invoice has no bold face: "bold" text is the regular glyphs with stroked
 * outlines (invoice.typ `heavy`), as wide as regular text, so the bold widths below err wider.
 */

/** Body text size of the table, pt (invoice.typ `set text(size: 7.6pt)`). */
const SIZE = 7.6;
/** Cell inset on each side, pt (invoice.typ, the resource table's `inset`). */
const INSET = 3;
/** Width available to the table: A4 (595.28 pt) less 11 mm margins either side. */
export const TABLE_WIDTH_PT = 595.28 - (2 * (11 * 72)) / 25.4;
/** Height of one line of 7.6 pt text, pt: Latin only, or with Devanagari (taller top edge). */
const LATIN_LINE = 5.43;
const DEVA_LINE = 6.95;
const LEADING = 0.45 * SIZE;
/** A column header no wider than this (pt) stays on one line per language. */
const HEADER_LINE_MAX = 36;

// Advance widths in em of U+0020 … U+007E in Noto Sans Regular and Bold (measured with Typst).
// biome-ignore format: a table
const ASCII_REGULAR = [0.26,0.269,0.408,0.646,0.572,0.831,0.732,0.225,0.3,0.3,0.551,0.572,0.268,0.322,0.268,0.372,0.572,0.572,0.572,0.572,0.572,0.572,0.572,0.572,0.572,0.572,0.268,0.268,0.572,0.572,0.572,0.434,0.899,0.639,0.65,0.632,0.73,0.556,0.519,0.728,0.741,0.339,0.273,0.619,0.524,0.907,0.76,0.781,0.605,0.781,0.622,0.549,0.556,0.731,0.6,0.93,0.586,0.566,0.572,0.329,0.372,0.329,0.572,0.444,0.281,0.561,0.615,0.48,0.615,0.564,0.344,0.615,0.618,0.258,0.258,0.534,0.258,0.935,0.618,0.605,0.615,0.615,0.413,0.479,0.361,0.618,0.508,0.786,0.529,0.51,0.47,0.38,0.551,0.38,0.572];
// biome-ignore format: a table
const ASCII_BOLD = [0.26,0.286,0.472,0.646,0.572,0.901,0.75,0.266,0.339,0.339,0.545,0.572,0.285,0.322,0.285,0.413,0.572,0.572,0.572,0.572,0.572,0.572,0.572,0.572,0.572,0.572,0.285,0.285,0.572,0.572,0.572,0.477,0.897,0.69,0.672,0.637,0.74,0.56,0.549,0.724,0.765,0.389,0.331,0.664,0.565,0.943,0.813,0.796,0.628,0.796,0.66,0.551,0.579,0.756,0.65,0.967,0.667,0.624,0.579,0.331,0.413,0.331,0.572,0.411,0.362,0.604,0.633,0.514,0.633,0.591,0.387,0.633,0.657,0.305,0.305,0.62,0.305,0.982,0.657,0.619,0.633,0.633,0.454,0.497,0.434,0.657,0.569,0.856,0.578,0.569,0.488,0.394,0.551,0.394,0.572];

const DEVA = /[\u0900-\u097F\uA8E0-\uA8FF\u1CD0-\u1CFF]/;
// Advance widths in em that U+0900 … U+097F add after क in Noto Sans Devanagari Regular and Bold
// (measured with Typst: a consonant alone, a vowel sign on it, a sign below or above adds 0).
// A conjunct is never wider than its letters side by side, so the sum errs wide.
// biome-ignore format: a table
const DEVA_REGULAR = [0,0,0,0.272,0.764,0.764,1.023,0.491,0.491,0.548,0.765,0.853,0.699,0.553,0.553,0.553,0.553,1.023,1.023,1.023,1.023,0.762,0.818,0.563,0.591,0.647,0.634,0.701,0.742,0.756,0.742,0.504,0.585,0.577,0.563,0.723,0.57,0.642,0.52,0.615,0.555,0.555,0.568,0.771,0.571,0.703,0.598,0.58,0.409,0.409,0.678,0.76,0.76,0.556,0.68,0.578,0.676,0.531,0,0.259,0,0.467,0.259,0.259,0.259,0,0,0,0,0,0,0,0,0.259,0.259,0.259,0.259,0,0.273,0.259,0.902,0,0,0,0,0,0,0,0.762,0.818,0.563,0.742,0.577,0.563,0.771,0.58,0.853,0.699,0,0,0.379,0.599,0.551,0.551,0.551,0.551,0.551,0.551,0.551,0.551,0.551,0.551,0.426,0.317,0.764,0.764,1.023,1.023,0.764,0.764,0.555,0.742,0.58,0.563,0.723,0.469,0.577,0.571];
// biome-ignore format: a table
const DEVA_BOLD = [0,0,0,0.287,0.845,0.845,1.14,0.518,0.518,0.584,0.828,0.918,0.757,0.608,0.608,0.608,0.608,1.14,1.14,1.14,1.14,0.823,0.896,0.61,0.645,0.695,0.69,0.76,0.816,0.809,0.829,0.541,0.618,0.618,0.602,0.798,0.624,0.718,0.558,0.687,0.618,0.618,0.613,0.821,0.62,0.773,0.646,0.635,0.438,0.438,0.738,0.805,0.805,0.605,0.75,0.625,0.744,0.57,0,0.294,0,0.527,0.294,0.294,0.294,0,0,0,0,0,0,0,0,0.294,0.294,0.294,0.294,0,0.309,0.294,1.014,0,0,0,0,0,0,0,0.823,0.896,0.61,0.816,0.618,0.602,0.821,0.635,0.918,0.757,0,0,0.398,0.638,0.57,0.57,0.57,0.57,0.57,0.57,0.57,0.57,0.57,0.57,0.445,0.328,0.845,0.845,1.14,1.14,0.845,0.845,0.602,0.816,0.635,0.61,0.807,0.501,0.618,0.62];

/** Estimated width of `s` in em, never less than Typst will set it. */
export function widthEm(s: string, bold = false): number {
  const ascii = bold ? ASCII_BOLD : ASCII_REGULAR;
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (c >= 0x20 && c <= 0x7e) w += ascii[c - 0x20] as number;
    else if (c === 0x20b9)
      w += 0.572; // ₹
    else if (c >= 0x0900 && c <= 0x097f) w += (bold ? DEVA_BOLD : DEVA_REGULAR)[c - 0x0900] as number;
    else if (/\p{Mn}|\p{Cf}/u.test(ch))
      w += 0; // other combining signs; ZWSP, ZWJ
    else w += 1.05; // anything else: wider than any Latin letter of the font
  }
  return w * 1.02;
}

const pt = (s: string, bold = false) => widthEm(s, bold) * SIZE;
/** The widest word of a label: the narrowest a column can be without a word running out of it. */
const widestWord = (s: string, bold = true) => Math.max(0, ...s.split(/\s+/).map((w) => pt(w, bold)));
const lineOf = (s: string) => (s === '' || DEVA.test(s) ? DEVA_LINE : LATIN_LINE);

export type TableRow = { sn: string; name: string; aadhaar: string; postHi: string; postEn: string; paidDays: string; figures: string[]; total: string };
/** A column's width in pt, or `fr` (the name: what is left). */
export type TableGeometry = { cols: (number | 'fr')[]; rows: (number | null)[] };

/** The post column is at most this wide (pt, 34 mm): a longer post wraps, its row left auto. */
const POST_MAX = 34 * (72 / 25.4);
/** The name column keeps at least this (pt, 30 mm), taken from the post column (down to its
 * header's width) when long posts and large figures would leave it less; the posts then wrap. */
const NAME_MIN = 30 * (72 / 25.4);

/**
 * Widths (pt; `fr` = the name column) of the ten columns S. No., name, Aadhaar, post,
 * paid days, wage, EPF, ESIC, bonus, total, and the height of each row (pt, or `null` = auto).
 */
export function resourceTableGeometry(headers: { hi: string; en: string }[], rows: TableRow[]): TableGeometry {
  const head = (i: number) => {
    const h = headers[i] as { hi: string; en: string };
    // The widest word, or the whole label on one line where that is narrow enough.
    return Math.max(widestWord(h.hi), widestWord(h.en), Math.min(HEADER_LINE_MAX, Math.max(pt(h.hi, true), pt(h.en, true))));
  };
  const fit = (i: number, values: string[], bold = false) => Math.ceil(Math.max(head(i), ...values.map((v) => pt(v, bold))) + 2 * INSET + 1);
  const postText = Math.min(POST_MAX - 2 * INSET, Math.max(...rows.flatMap((r) => [pt(r.postHi), pt(r.postEn)]), 0));
  const figure = (k: number) => rows.map((r) => r.figures[k] ?? '');
  const cols: (number | 'fr')[] = [
    fit(
      0,
      rows.map((r) => r.sn),
    ),
    'fr',
    fit(
      2,
      rows.map((r) => r.aadhaar),
    ),
    Math.ceil(Math.max(head(3), postText) + 2 * INSET + 1),
    fit(
      4,
      rows.map((r) => r.paidDays),
    ),
    ...[0, 1, 2, 3].map((k) => fit(5 + k, figure(k))),
    fit(
      9,
      rows.map((r) => r.total),
      true,
    ),
  ];
  const left = () => TABLE_WIDTH_PT - cols.reduce<number>((s, w) => s + (w === 'fr' ? 0 : w), 0);
  if (left() < NAME_MIN) cols[3] = Math.max(Math.ceil(head(3) + 2 * INSET + 1), (cols[3] as number) - (NAME_MIN - left()));
  const nameText = left() - 2 * INSET;
  const postWidth = (cols[3] as number) - 2 * INSET;
  const rowHeights = rows.map((r) => {
    const name = pt(r.name);
    // Two lines hold the name only if no word is wider than the column and the whole, with a
    // word's width lost at the break, fits twice over.
    const nameLines = name <= nameText ? 1 : widestWord(r.name, false) <= nameText && name + widestWord(r.name, false) <= 2 * nameText ? 2 : 3;
    if (nameLines > 2 || pt(r.postHi) > postWidth || pt(r.postEn) > postWidth) return null;
    const nameH = nameLines === 1 ? lineOf(r.name) : 2 * lineOf(r.name) + LEADING;
    const postH = lineOf(r.postHi) + LEADING + lineOf(r.postEn);
    return Math.ceil((Math.max(nameH, postH, DEVA_LINE) + 2 * INSET) * 4) / 4;
  });
  return { cols, rows: rowHeights };
}

/** Width (pt) of the amounts column of the totals table: its widest figure (a strong one is 9 pt
 * bold) and 4 pt of inset either side (invoice.typ). */
export function totalsValueWidth(totals: { value: string; strong: boolean }[]): number {
  return Math.ceil(Math.max(...totals.map((t) => widthEm(t.value, t.strong) * (t.strong ? 9 : SIZE))) + 2 * 4 + 1);
}

/** Width of the totals table, pt (invoice.typ: 110 mm). */
const TOTALS_WIDTH = 110 * (72 / 25.4);

/**
 * Height (pt, or `null` = auto) of each row of the totals table, whose amounts column is
 * `valueWidth` wide: fixed when the label ("हिन्दी / English", bold when strong) certainly fits on
 * one line, so Typst need not lay each cell out twice to measure the row. Insets 4 pt across and
 * 3 pt down (invoice.typ); a strong amount is 9 pt.
 */
export function totalsRowHeights(totals: { label: { hi: string; en: string }; strong: boolean }[], valueWidth: number): (number | null)[] {
  const labelWidth = TOTALS_WIDTH - valueWidth - 2 * 4 - 1;
  return totals.map((t) => {
    if (pt(`${t.label.hi} / ${t.label.en}`, t.strong) > labelWidth) return null;
    const value = t.strong ? (LATIN_LINE * 9) / SIZE : LATIN_LINE;
    return Math.ceil((Math.max(DEVA_LINE, value) + 2 * 3) * 4) / 4;
  });
}
