import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPdf } from '../../modules/sanction/sanction.demo.ts';
import { type Client, createTestApp, type TestApp } from '../../test/harness.ts';
import { contentDisposition, safeFileName } from './files.ts';

/**
 * Issue 11, finding 5 (bar P4): an upload named with a right-to-left override
 * (`invoice\u202efdp.exe`, shown as `invoiceexe.pdf`) is refused, and a download is served
 * under the server's name with the content's extension, not the client's `.html`.
 */
describe('file names', () => {
  it.each(['invoice\u202efdp.exe', 'a\u202db.pdf', 'x\u2066y\u2069.pdf', 'zero\u200bwidth.pdf', 'mark\u200f.pdf', 'bad\ud800.pdf'])(
    'refuses the upload name %j',
    (name) => {
      expect(() => safeFileName(name)).toThrow('file_name_invalid');
    },
  );

  it("keeps the name but gives it the stored content's extension", () => {
    expect(safeFileName('report.html')).toBe('report.pdf');
    expect(safeFileName('invoice.pdf.exe')).toBe('invoice.pdf.pdf');
    expect(safeFileName('आदेश 12.pdf')).toBe('आदेश 12.pdf');
    expect(safeFileName('no-extension')).toBe('no-extension.pdf');
    expect(safeFileName('.htaccess')).toBe('.htaccess.pdf');
  });

  it('serves names stored before without overrides and with .pdf', () => {
    const d = contentDisposition('inline', 'invoice\u202efdp.exe');
    expect(d).toBe(`inline; filename="invoicefdp.pdf"; filename*=UTF-8''invoicefdp.pdf`);
    expect(contentDisposition('attachment', 'page.html')).toContain('filename="page.pdf"');
    expect(contentDisposition('inline', 'order.pdf')).toBe(`inline; filename="order.pdf"; filename*=UTF-8''order.pdf`);
  });
});

describe('through the sanction-order upload and download', () => {
  let t: TestApp;
  let fin: Client;
  beforeAll(async () => {
    t = await createTestApp();
    fin = await t.login('officeadmin_fin');
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  function upload(filename: string) {
    const boundary = `----roams${randomBytes(8).toString('hex')}`;
    const fields = {
      orderNo: `F/${randomBytes(3).toString('hex')}`,
      orderDate: '2025-07-09',
      issuingOfficerName: 'Manoj Kumar',
      issuingOfficerDesignation: 'Deputy Secretary',
      remark: '',
      kind: 'original',
    };
    const chunks: Buffer[] = Object.entries(fields).map(([k, v]) =>
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
    );
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="order"; filename="${filename}"\r\nContent-Type: text/html\r\n\r\n`, 'utf8'),
      demoPdf(['x']),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    );
    return fin.request({
      method: 'POST',
      url: '/api/v1/sanction-orders',
      payload: Buffer.concat(chunks),
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
  }

  it('refuses a right-to-left override in the name', async () => {
    const res = await upload('invoice\u202efdp.exe');
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ field: 'order', code: 'file_name_invalid' });
  });

  it('serves a file uploaded as .html under a .pdf name', async () => {
    const res = await upload('letter.html');
    expect(res.statusCode, res.body).toBe(201);
    const file = await fin.get(`/api/v1/sanction-orders/${res.json().id}/file`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toMatch(/^application\/pdf/);
    expect(String(file.headers['content-disposition'])).toContain('filename="letter.pdf"');
    expect(String(file.headers['content-disposition'])).not.toContain('.html');
  });
});
