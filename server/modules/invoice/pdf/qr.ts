import QRCode from 'qrcode';

/**
 * The invoice's verification QR code (error correction M) as raw pixels for invoice.typ: one byte
 * per module (0 dark, 255 light), one light module of margin all round, `size` × `size`.
 *
 * The symbol is the `qrcode` package's, mask included, only faster (bar S8): `qrcode` picks the
 * mask (ISO/IEC 18004 §8.8: the one of eight with the lowest penalty) by masking and scoring its
 * matrix through a per-module accessor, ≈ 0.4 ms per code. Here the symbol is built once with mask
 * 0, and every mask is derived from it and scored with the package's own four penalty rules over
 * flat arrays. qr.test.ts checks that the result is module for module what `QRCode.create` makes.
 */
export function qrPixels(text: string): { size: number; pixels: Uint8Array<ArrayBuffer> } {
  const segments = [{ data: new TextEncoder().encode(text), mode: 'byte' as const }];
  const { modules, errorCorrectionLevel } = QRCode.create(segments, { errorCorrectionLevel: 'M', maskPattern: 0 });
  const n = modules.size;
  const base = modules.data;
  const reserved = (modules as unknown as { reservedBit: Uint8Array }).reservedBit;
  const ecBit = (errorCorrectionLevel as unknown as { bit: number }).bit;
  // The data modules without mask 0 (function patterns stay as they are).
  const tables = masks(n);
  const mask0 = tables[0] as Uint8Array;
  const plain = new Uint8Array(n * n);
  for (let i = 0; i < n * n; i++) plain[i] = reserved[i] ? (base[i] as number) : (base[i] as number) ^ (mask0[i] as number);
  const m = new Uint8Array(n * n);
  const best = new Uint8Array(n * n);
  let lowest = Number.POSITIVE_INFINITY;
  for (let p = 0; p < 8; p++) {
    const mask = tables[p] as Uint8Array;
    for (let i = 0; i < n * n; i++) m[i] = reserved[i] ? (plain[i] as number) : (plain[i] as number) ^ (mask[i] as number);
    setFormat(m, n, formatBits(ecBit, p));
    const penalty = score(m, n);
    if (penalty < lowest) {
      lowest = penalty;
      best.set(m);
    }
  }
  const size = n + 2;
  const pixels = new Uint8Array(size * size).fill(255);
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) if (best[y * n + x]) pixels[(y + 1) * size + x + 1] = 0;
  return { size, pixels };
}

const maskTables = new Map<number, Uint8Array[]>();
/** The eight masks of an n × n symbol (1 = invert), made once per size. */
function masks(n: number): Uint8Array[] {
  let t = maskTables.get(n);
  if (!t) {
    t = Array.from({ length: 8 }, (_, p) => {
      const a = new Uint8Array(n * n);
      for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) a[r * n + c] = maskAt(p, r, c);
      return a;
    });
    maskTables.set(n, t);
  }
  return t;
}

/** ISO/IEC 18004 Table 10, as `qrcode`'s mask-pattern.js writes it (i row, j column). */
function maskAt(p: number, i: number, j: number): number {
  switch (p) {
    case 0:
      return (i + j) % 2 === 0 ? 1 : 0;
    case 1:
      return i % 2 === 0 ? 1 : 0;
    case 2:
      return j % 3 === 0 ? 1 : 0;
    case 3:
      return (i + j) % 3 === 0 ? 1 : 0;
    case 4:
      return (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0 ? 1 : 0;
    case 5:
      return ((i * j) % 2) + ((i * j) % 3) === 0 ? 1 : 0;
    case 6:
      return (((i * j) % 2) + ((i * j) % 3)) % 2 === 0 ? 1 : 0;
    default:
      return (((i * j) % 3) + ((i + j) % 2)) % 2 === 0 ? 1 : 0;
  }
}

/** The 15 format bits of an error-correction level and mask: BCH(15, 5), XOR 0x5412. */
function formatBits(ecBit: number, mask: number): number {
  const data = (ecBit << 3) | mask;
  let d = data << 10;
  const G15 = 0b10100110111;
  for (let shift = 4; shift >= 0; shift--) if (d & (1 << (shift + 10))) d ^= G15 << shift;
  return ((data << 10) | d) ^ 0b101010000010010;
}

/** The format bits' places, as `qrcode`'s setupFormatInfo puts them (data[row * n + col]). */
function setFormat(m: Uint8Array, n: number, bits: number): void {
  for (let i = 0; i < 15; i++) {
    const b = (bits >> i) & 1;
    const row = i < 6 ? i : i < 8 ? i + 1 : n - 15 + i;
    m[row * n + 8] = b;
    const col = i < 8 ? n - i - 1 : i < 9 ? 15 - i : 15 - i - 1;
    m[8 * n + col] = b;
  }
  m[(n - 8) * n + 8] = 1;
}

/** `qrcode`'s penalty (N1 runs of five or more, N2 2×2 blocks, N3 finder-like 1:1:3:1:1 with
 * four light modules, N4 dark proportion), the same sums over a flat array. */
function score(m: Uint8Array, n: number): number {
  let n1 = 0;
  let n2 = 0;
  let n3 = 0;
  let dark = 0;
  // Rows: contiguous, with the 2×2 blocks against the next row.
  for (let a = 0, at = 0; a < n; a++, at += n) {
    let last = m[at] as number;
    let run = 1;
    let bits = last;
    dark += last;
    for (let b = 1; b < n; b++) {
      const h = m[at + b] as number;
      dark += h;
      if (h === last) run++;
      else {
        if (run >= 5) n1 += run - 2;
        last = h;
        run = 1;
      }
      bits = ((bits << 1) & 0x7ff) | h;
      if (b >= 10 && (bits === 0x5d0 || bits === 0x05d)) n3++;
      if (a < n - 1) {
        const s = (m[at + b - 1] as number) + h + (m[at + n + b - 1] as number) + (m[at + n + b] as number);
        if (s === 0 || s === 4) n2++;
      }
    }
    if (run >= 5) n1 += run - 2;
  }
  // Columns.
  for (let a = 0; a < n; a++) {
    let last = m[a] as number;
    let run = 1;
    let bits = last;
    for (let b = 1, at = n + a; b < n; b++, at += n) {
      const v = m[at] as number;
      if (v === last) run++;
      else {
        if (run >= 5) n1 += run - 2;
        last = v;
        run = 1;
      }
      bits = ((bits << 1) & 0x7ff) | v;
      if (b >= 10 && (bits === 0x5d0 || bits === 0x05d)) n3++;
    }
    if (run >= 5) n1 += run - 2;
  }
  const n4 = Math.abs(Math.ceil((dark * 100) / (n * n) / 5) - 10);
  return n1 + n2 * 3 + n3 * 40 + n4 * 10;
}
