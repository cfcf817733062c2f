import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { users } from '../../platform/auth/auth.table.ts';
import { type FileStore, saveUpload } from '../../platform/files/files.ts';
import { departments, hods, postNames, skillLevels } from '../org/index.ts';
import * as repo from './sanction.repo.ts';

/**
 * A minimal valid one-page PDF (proper cross-reference table) showing a few lines of ASCII text.
 * Used for demo orders; real orders are uploaded.
 */
export function demoPdf(lines: string[]): Buffer {
  const esc = (s: string) => s.replace(/[\\()]/g, (m) => `\\${m}`).replace(/[^\x20-\x7e]/g, '?');
  const text = lines.map((l, i) => `BT /F1 ${i === 0 ? 16 : 11} Tf 50 ${780 - i * 24} Td (${esc(l)}) Tj ET`).join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${Buffer.byteLength(text, 'latin1')} >>\nstream\n${text}\nendstream`,
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((n) => `${String(n).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

type DemoPost = { hod: string; skill: string; post: string; offices: [number, number][] };
type DemoOrder = { dept: string; orderNo: string; orderDate: string; officer: string; designation: string; remark: string; locked: boolean; posts: DemoPost[] };

/**
 * Demo sanction orders: for the Finance Department a locked order with posts over offices 79 and
 * 4881 and an unlocked one still being filled; for School Education one locked order (another
 * department's record, so scoped users can be shown not to see it).
 */
export const DEMO_SANCTION_ORDERS: DemoOrder[] = [
  {
    dept: 'FIN',
    orderNo: 'FIN/OS/2025/101',
    orderDate: '2025-04-15',
    officer: 'Anil Kumar Gupta',
    designation: 'Deputy Secretary, Finance',
    remark: 'Outsourced staff for Institutional Finance, FY 2025-26',
    locked: true,
    posts: [
      {
        hod: 'FIN-CIF',
        skill: 'highly_skilled',
        post: 'accountant',
        offices: [
          [79, 4],
          [4881, 2],
        ],
      },
      {
        hod: 'FIN-CIF',
        skill: 'skilled',
        post: 'deo',
        offices: [
          [79, 3],
          [4881, 1],
        ],
      },
    ],
  },
  {
    dept: 'FIN',
    orderNo: 'FIN/OS/2025/214',
    orderDate: '2025-10-01',
    officer: 'Anil Kumar Gupta',
    designation: 'Deputy Secretary, Finance',
    remark: 'Additional multi-tasking staff (draft, not yet locked)',
    locked: false,
    posts: [{ hod: 'FIN-CIF', skill: 'unskilled', post: 'peon', offices: [[79, 2]] }],
  },
  {
    dept: 'SED',
    orderNo: 'SED/OS/2025/07',
    orderDate: '2025-06-20',
    officer: 'Meena Tiwari',
    designation: 'Under Secretary, School Education',
    remark: 'Data entry staff for the Directorate',
    locked: true,
    posts: [{ hod: 'SED-DPI', skill: 'skilled', post: 'deo', offices: [] }],
  },
];

export async function seedSanctionDemo(tx: DbOrTx, store: FileStore, now: Date): Promise<void> {
  const [creator] = await tx.select({ id: users.id }).from(users).where(eq(users.username, 'officeadmin_fin'));
  const createdBy = creator?.id ?? null;
  const codeMap = async <T extends { id: number; code: string }>(rows: Promise<T[]>) => new Map((await rows).map((r) => [r.code, r.id]));
  const deptIds = await codeMap(tx.select({ id: departments.id, code: departments.code }).from(departments));
  const hodIds = await codeMap(tx.select({ id: hods.id, code: hods.code }).from(hods));
  const skillIds = await codeMap(tx.select({ id: skillLevels.id, code: skillLevels.code }).from(skillLevels));
  const postIds = await codeMap(tx.select({ id: postNames.id, code: postNames.code }).from(postNames));
  for (const o of DEMO_SANCTION_ORDERS) {
    const departmentId = deptIds.get(o.dept);
    if (departmentId === undefined) continue;
    const bytes = demoPdf([
      `Government of Madhya Pradesh`,
      `Sanction order ${o.orderNo} dated ${o.orderDate}`,
      o.remark,
      `Issued by ${o.officer}, ${o.designation}`,
      'ROAMS demo document',
    ]);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const saved = await saveUpload(
      tx,
      store,
      { bytes, sha256, sizeBytes: bytes.length, mime: 'application/pdf', safeName: `${o.orderNo.replace(/\//g, '-')}.pdf` },
      createdBy,
      now,
    );
    const order = await repo.insertOrder(tx, {
      departmentId,
      orderNo: o.orderNo,
      orderDate: o.orderDate,
      issuingOfficerName: o.officer,
      issuingOfficerDesignation: o.designation,
      remark: o.remark,
      kind: 'original',
      fileId: saved.file.id,
      createdBy,
      createdAt: now,
      updatedAt: now,
    });
    for (const p of o.posts) {
      const hodId = hodIds.get(p.hod)!;
      let offs = p.offices.map(([officeId, posts]) => ({ officeId, posts }));
      if (offs.length === 0) {
        // The HOD's first office (ids are generated for most directorates).
        const [first] = await repo.activeOfficesOfHod(tx, hodId);
        if (!first) continue;
        offs = [{ officeId: first.id, posts: 5 }];
      }
      const total = offs.reduce((s, x) => s + x.posts, 0);
      await repo.insertPost(
        tx,
        { orderId: order.id, hodId, skillLevelId: skillIds.get(p.skill)!, postNameId: postIds.get(p.post)!, total, createdAt: now, updatedAt: now },
        offs,
      );
    }
    if (o.locked) await repo.lockOrder(tx, order.id, createdBy ?? 1, now);
  }
}
