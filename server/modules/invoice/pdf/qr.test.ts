import { createHash } from 'node:crypto';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { qrPixels } from './qr.ts';

/** What `qrcode` itself makes of the same text (it scores all eight masks), as qrPixels lays it out. */
function reference(text: string): Uint8Array {
  const { modules } = QRCode.create([{ data: new TextEncoder().encode(text), mode: 'byte' }], { errorCorrectionLevel: 'M' });
  const n = modules.size;
  const out = new Uint8Array((n + 2) * (n + 2)).fill(255);
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) if (modules.data[y * n + x]) out[(y + 1) * (n + 2) + x + 1] = 0;
  return out;
}

describe('invoice QR code (qr.ts)', () => {
  it('is module for module the symbol qrcode makes, the same mask chosen, for 400 verification URLs and odd texts', () => {
    const texts = Array.from({ length: 400 }, (_, i) => `https://roams.example/verify/invoice/${createHash('sha256').update(String(i)).digest('hex')}`);
    texts.push('', 'x', 'क्षेत्रीय', '0'.repeat(200), 'https://portal.mp.gov.in/verify/invoice/abc?x=1&y=2');
    const masks = new Set<number>();
    for (const t of texts) {
      const mine = qrPixels(t);
      expect(mine.pixels, t).toEqual(reference(t));
      expect(mine.size ** 2).toBe(mine.pixels.length);
      masks.add(QRCode.create([{ data: new TextEncoder().encode(t), mode: 'byte' }], { errorCorrectionLevel: 'M' }).maskPattern ?? -1);
    }
    // The sample exercised more than one mask, so the choice itself was compared.
    expect(masks.size).toBeGreaterThan(4);
  });
});
