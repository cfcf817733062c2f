import { createHash } from 'node:crypto';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REVISION_DOC_BYTES, type TAttendanceSheet, type TRevision } from '../../../shared/contracts/attendance.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { roleAssignments, users } from '../../platform/auth/auth.table.ts';
import { hashPassword } from '../../platform/auth/password.ts';
import { type Client, createTestApp, DEMO_PASSWORD, fakeClock, type TestApp } from '../../test/harness.ts';
import { checksOn, multipart } from '../../test/helpers.ts';
import { storageKeyOf } from '../../platform/files/files.ts';
import { previousMonth } from './attendance.rules.ts';

/**
 * Revisions after finalisation, the rest of issue 15 item 6: a supporting document on a request
 * (PDF / JPEG / PNG by content, read by whoever may read the request), the DDOs told through the
 * outbox when a request is made and the requester when it is decided, and a request of several
 * rows. On the demo data: last month of office 79 is finalised; ddo_bhopal (Hindi) is its DDO.
 */
const CUR = todayIst(new Date()).slice(0, 7);
const LAST = previousMonth(CUR);
const OFFICE = 79;
const url = `/api/v1/attendance/offices/${OFFICE}/months/${LAST}/revisions`;
const REV = '/api/v1/attendance/revisions';
const DM_MOBILE = '9876500004';
const DDO_MOBILE = '9876500005';
const DDO_EMAIL = 'ddo.bhopal@mp.gov.in';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x21, 0x22]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);

let t: TestApp;
let dm: Client;
let ddo: Client;
let agency: Client;
let otherDm: Client;
let secondDm: Client;
let filesDir = '';
const { refused, dbRefusal } = checksOn(() => t.database);

type Entry = { resourceId: number; present: number; paidLeave: number; offs: number; absence: number };
/** `n` rows of LAST with nothing pending, each turning one day present into unpaid absence. */
async function freeEntries(n: number): Promise<Entry[]> {
  const s = (await dm.get(`/api/v1/attendance/offices/${OFFICE}/months/${LAST}`)).json() as TAttendanceSheet;
  const rows = s.rows.filter((x) => !x.revisionPending && !x.offRolls && (x.revised?.present ?? x.present ?? 0) > 0).slice(0, n);
  expect(rows).toHaveLength(n);
  return rows.map((r) => {
    const e = r.revised ?? { present: r.present!, paidLeave: r.paidLeave!, offs: r.offs!, absence: r.absence! };
    return { resourceId: r.resourceId, present: e.present - 1, paidLeave: e.paidLeave, offs: e.offs, absence: e.absence + 1 };
  });
}
const form = (reason: string, rows: Entry[], doc?: { name: string; bytes: Buffer; type: string }) =>
  multipart({ reason, rows: JSON.stringify(rows) }, doc ? [{ field: 'document', ...doc }] : []);
const postForm = (c: Client, m: ReturnType<typeof multipart>) =>
  c.request({ method: 'POST', url: `${url}/with-document`, payload: m.payload, headers: m.headers });

type OutboxRow = { channel: string; recipient: string; template: string; locale: string; params: Record<string, string | number> };
async function outbox(template: string): Promise<OutboxRow[]> {
  const r = await t.database.db.execute<OutboxRow>(
    sql`select channel, recipient, template, locale, params from outbox where template like ${`attendance.revision.notify.${template}%`} order by id`,
  );
  return r.rows;
}
async function pendingOf(resourceId: number): Promise<TRevision> {
  const list = ((await ddo.get(`${REV}?state=pending`)).json() as { items: TRevision[] }).items;
  return list.find((x) => x.items.some((i) => i.resourceId === resourceId))!;
}

beforeAll(async () => {
  // A file store of its own, so that what is (not) on disk can be checked.
  filesDir = await mkdtemp(path.join(tmpdir(), 'roams-revdoc-'));
  t = await createTestApp({ clock: fakeClock(new Date()), env: { FILES_DIR: filesDir } });
  const db = t.database.db;
  // Decide the demo's pending request of office 79 (frees its row), then give the DDO's assignment an official e-mail.
  ddo = await t.login('ddo_bhopal');
  dm = await t.login('dm_bhopal');
  const me = (await dm.get('/api/v1/auth/me')).json() as { assignments: { id: number; officeId: number | null }[] };
  const a = me.assignments.find((x) => x.officeId === OFFICE);
  if (a) expect((await dm.post('/api/v1/auth/switch', { assignmentId: a.id })).statusCode).toBe(200);
  await db.execute(sql`update role_assignments set official_email = ${DDO_EMAIL}
                        where role = 'ddo' and user_id = (select id from users where mobile = ${DDO_MOBILE})`);
  for (const p of ((await ddo.get(`${REV}?state=pending`)).json() as { items: TRevision[] }).items.filter((x) => x.canDecide && x.officeId === OFFICE))
    expect((await ddo.post(`${REV}/${p.id}/decision`, { decision: 'approve', remarks: '' })).statusCode).toBe(200);
  agency = await t.login('agency_admin');
  // A department manager of another office (outside office 79's department tree).
  const foreign = await db.execute<{ id: number }>(sql`select office_id as id from resources where id = 1`);
  const officeId = Number(foreign.rows[0]!.id);
  const [u] = await db
    .insert(users)
    .values({ username: 'other_dm', name: 'Other DM', mobile: '9123400077', passwordHash: await hashPassword(DEMO_PASSWORD), mustChangePassword: false })
    .returning();
  await db.insert(roleAssignments).values({ userId: u!.id, role: 'department_manager', scopeKind: 'office', scopeId: officeId, officeId });
  otherDm = await t.login('other_dm');
  // A second department manager of office 79: may read its requests, not add to another's.
  const [u2] = await db
    .insert(users)
    .values({ username: 'second_dm', name: 'Second DM', mobile: '9123400078', passwordHash: await hashPassword(DEMO_PASSWORD), mustChangePassword: false })
    .returning();
  await db.insert(roleAssignments).values({ userId: u2!.id, role: 'department_manager', scopeKind: 'office', scopeId: OFFICE, officeId: OFFICE });
  secondDm = await t.login('second_dm');
}, 120_000);
afterAll(async () => {
  await t?.close();
  if (filesDir) await rm(filesDir, { recursive: true, force: true });
});

describe('attendance revisions — supporting document, notifications, several rows', () => {
  it('a request of two rows with a PDF: stored, listed, downloadable by the DDO; the DDO told by SMS and e-mail in Hindi', async () => {
    const rows = await freeEntries(2);
    const before = (await outbox('request')).length;
    const res = await postForm(dm, form('Leave recorded late for two resources', rows, { name: 'leave-register.pdf', bytes: PDF, type: 'application/pdf' }));
    expect(res.statusCode, res.body).toBe(200);
    const rev = res.json() as TRevision;
    expect(rev.state).toBe('pending');
    expect(rev.items.map((i) => i.resourceId).sort()).toEqual(rows.map((r) => r.resourceId).sort());
    for (const it of rev.items) expect(it.after.absence).toBe(it.before.absence + 1);
    expect(rev.document).toEqual({ name: 'leave-register.pdf', mime: 'application/pdf', sizeBytes: PDF.length });

    // The DDO sees it, can decide it, and downloads exactly the bytes sent.
    const seen = await pendingOf(rows[0]!.resourceId);
    expect(seen.id).toBe(rev.id);
    expect(seen.canDecide).toBe(true);
    expect(seen.document?.name).toBe('leave-register.pdf');
    const dl = await ddo.get(`${REV}/${rev.id}/document`);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.headers['content-disposition']).toContain('leave-register.pdf');
    expect(dl.rawPayload.equals(PDF)).toBe(true);
    // The requester reads it too.
    expect((await dm.get(`${REV}/${rev.id}/document`)).statusCode).toBe(200);

    // An SMS and an e-mail to the office's DDO, in the DDO's language, naming the request — and an
    // SMS to every other DDO who may approve it (the demo's in-charge DDO of the office), no one else.
    const queued = (await outbox('request')).slice(before);
    const mine = queued.filter((m) => m.recipient === DDO_MOBILE || m.recipient === DDO_EMAIL);
    expect(mine.map((m) => `${m.channel}:${m.template}`).sort()).toEqual([
      'email:attendance.revision.notify.requestEmail',
      'sms:attendance.revision.notify.requestSms',
    ]);
    const ddoMobiles = await t.database.db.execute<{ mobile: string }>(
      sql`select distinct u.mobile from users u join role_assignments ra on ra.user_id = u.id where ra.role = 'ddo' and ra.active`,
    );
    const allowed = new Set([...ddoMobiles.rows.map((x) => x.mobile), DDO_EMAIL]);
    expect(queued.every((m) => allowed.has(m.recipient))).toBe(true);
    expect(queued.some((m) => m.recipient === DM_MOBILE)).toBe(false);
    for (const m of mine) {
      expect(m.locale).toBe('hi');
      expect(Number(m.params.id)).toBe(rev.id);
      expect(Number(m.params.rows)).toBe(2);
      expect(String(m.params.office)).toContain(`(${OFFICE})`);
      expect(m.params.by).toBe('Ramesh Sharma');
    }
    const audit = await t.database.db.execute<{ after: { document: { name: string }; notified: number } }>(
      sql`select after from audit_log where entity = 'attendance_revision' and entity_id = ${String(rev.id)} and action = 'request'`,
    );
    expect(audit.rows[0]!.after.document.name).toBe('leave-register.pdf');
    expect(audit.rows[0]!.after.notified).toBe(queued.filter((m) => m.channel === 'sms').length);

    // The DDO approves: the requester is told (SMS; no official e-mail on the manager's assignment).
    const beforeDecision = (await outbox('approved')).length;
    const ok = await ddo.post(`${REV}/${rev.id}/decision`, { decision: 'approve', remarks: 'सत्यापित' });
    expect(ok.statusCode, ok.body).toBe(200);
    const told = (await outbox('approved')).slice(beforeDecision);
    expect(told.map((m) => `${m.channel}:${m.recipient}:${m.template}`)).toEqual([`sms:${DM_MOBILE}:attendance.revision.notify.approvedSms`]);
    expect(Number(told[0]!.params.id)).toBe(rev.id);
    expect(told[0]!.params.remarks).toBe('सत्यापित');
  });

  it('a file that is not what it claims (a ZIP named .pdf) is refused naming the field; nothing saved, nothing queued', async () => {
    const rows = await freeEntries(1);
    const res = await refused(
      () => postForm(dm, form('Leave recorded late', rows, { name: 'register.pdf', bytes: ZIP, type: 'application/pdf' })),
      400,
      'file_not_document',
      'document',
    );
    expect(res.statusCode).toBe(400);
    // An empty file likewise, and a bad row with a good file: nothing saved, no document kept, no message.
    await refused(
      () => postForm(dm, form('Leave recorded late', rows, { name: 'e.pdf', bytes: Buffer.alloc(0), type: 'application/pdf' })),
      400,
      'file_empty',
      'document',
    );
    await refused(
      () => postForm(dm, form('Leave recorded late', [{ ...rows[0]!, absence: rows[0]!.absence + 5 }], { name: 'r.pdf', bytes: PDF, type: 'application/pdf' })),
      400,
      'validation_failed',
      'rows.0.absence',
    );
    await refused(() => postForm(dm, multipart({ reason: 'Leave recorded late', rows: 'not json' })), 400, 'validation_failed', 'rows');
    // A PNG is accepted for what it is, whatever it is called.
    const png = await postForm(dm, form('Photo of the register page', rows, { name: 'register.pdf', bytes: PNG, type: 'application/pdf' }));
    expect(png.statusCode, png.body).toBe(200);
    const rev = png.json() as TRevision;
    expect(rev.document).toEqual({ name: 'register.png', mime: 'image/png', sizeBytes: PNG.length });
    expect((await ddo.get(`${REV}/${rev.id}/document`)).headers['content-type']).toBe('image/png');

    // A refusal without remarks is refused itself: nothing decided, nothing queued.
    await refused(() => ddo.post(`${REV}/${rev.id}/decision`, { decision: 'refuse', remarks: ' ' }), 400, 'validation_failed', 'remarks');
    // Refusal: the requester is told, with the DDO's remarks.
    const beforeRefusal = (await outbox('refused')).length;
    const no = await ddo.post(`${REV}/${rev.id}/decision`, { decision: 'refuse', remarks: 'Register page does not show the absence.' });
    expect(no.statusCode, no.body).toBe(200);
    const told = (await outbox('refused')).slice(beforeRefusal);
    expect(told.map((m) => `${m.channel}:${m.recipient}`)).toEqual([`sms:${DM_MOBILE}`]);
    expect(told[0]!.params.remarks).toBe('Register page does not show the absence.');
  });

  it("another office's user cannot download the document (404); an agency is refused (403); a request without one has none", async () => {
    const rows = await freeEntries(1);
    const res = await postForm(dm, form('Leave recorded late', rows, { name: 'leave.pdf', bytes: PDF, type: 'application/pdf' }));
    expect(res.statusCode, res.body).toBe(200);
    const rev = res.json() as TRevision;
    const other = await otherDm.get(`${REV}/${rev.id}/document`);
    expect(other.statusCode).toBe(404);
    expect(other.rawPayload.includes(PDF)).toBe(false);
    expect(((await otherDm.get(REV)).json() as { items: TRevision[] }).items.some((x) => x.id === rev.id)).toBe(false);
    expect((await agency.get(`${REV}/${rev.id}/document`)).statusCode).toBe(403);
    expect((await dm.get(`${REV}/999999/document`)).statusCode).toBe(404);
    // Another office's manager cannot send a request (with a file) for office 79 either: 404, nothing saved.
    await refused(() => postForm(otherDm, form('Leave recorded late', rows, { name: 'leave.pdf', bytes: PDF, type: 'application/pdf' })), 404, 'not_found');
    expect((await ddo.post(`${REV}/${rev.id}/decision`, { decision: 'refuse', remarks: 'Not needed.' })).statusCode).toBe(200);

    // A JSON request of several rows: no document, one message pair to the DDO.
    const three = await freeEntries(2);
    const before = (await outbox('request')).length;
    const j = await dm.post(url, { reason: 'Two corrections in one request', rows: three });
    expect(j.statusCode, j.body).toBe(200);
    const jr = j.json() as TRevision;
    expect(jr.document).toBeNull();
    expect(jr.items).toHaveLength(2);
    expect((await ddo.get(`${REV}/${jr.id}/document`)).statusCode).toBe(404);
    const queued = (await outbox('request')).slice(before);
    expect(queued.filter((m) => m.channel === 'email').map((m) => m.recipient)).toEqual([DDO_EMAIL]);
    expect(queued.filter((m) => m.channel === 'sms').map((m) => m.recipient)).toContain(DDO_MOBILE);
    expect(queued.every((m) => Number(m.params.id) === jr.id && Number(m.params.rows) === 2)).toBe(true);
  });
});

describe('attendance revisions — a document added to a pending request by its maker', () => {
  const docs = (id: number) => `${REV}/${id}/documents`;
  const addDoc = (c: Client, id: number, doc: { name: string; bytes: Buffer; type: string }, fields: Record<string, string> = {}) => {
    const m = multipart(fields, [{ field: 'document', ...doc }]);
    return c.request({ method: 'POST', url: docs(id), payload: m.payload, headers: m.headers });
  };
  const onDisk = (bytes: Buffer) =>
    access(path.join(filesDir, storageKeyOf(createHash('sha256').update(bytes).digest('hex')))).then(
      () => true,
      () => false,
    );
  const jpeg = (tag: string) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(`JFIF ${tag}`, 'latin1')]);

  it('the maker adds a JPEG after making the request: listed for the DDO, downloadable, the DDO told, audited; then a PDF', async () => {
    const rows = await freeEntries(1);
    const made = await dm.post(url, { reason: 'Absence on the 3rd, marked present', rows });
    expect(made.statusCode, made.body).toBe(200);
    const rev = made.json() as TRevision;
    expect(rev.documents).toEqual([]);
    expect(rev.canAddDocument).toBe(true);
    // The DDO (who asked for it) cannot add one; it sees the request without the button.
    expect((await pendingOf(rows[0]!.resourceId)).canAddDocument).toBe(false);

    const before = (await outbox('document')).length;
    const register = jpeg('register page');
    const res = await addDoc(dm, rev.id, { name: 'register page.jpeg', bytes: register, type: 'image/jpeg' });
    expect(res.statusCode, res.body).toBe(200);
    const after = res.json() as TRevision;
    expect(after.state).toBe('pending');
    expect(after.documents).toHaveLength(1);
    expect(after.documents[0]).toMatchObject({ name: 'register page.jpg', mime: 'image/jpeg', sizeBytes: register.length, addedBy: 'Ramesh Sharma' });
    expect(after.document).toBeNull();

    const seen = await pendingOf(rows[0]!.resourceId);
    expect(seen.documents.map((d) => d.name)).toEqual(['register page.jpg']);
    const dl = await ddo.get(`${docs(rev.id)}/${after.documents[0]!.id}`);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('image/jpeg');
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(dl.headers['content-disposition']).toContain('attachment');
    expect(dl.rawPayload.equals(register)).toBe(true);
    // Another request's id with this document's id: not found.
    expect((await ddo.get(`${docs(rev.id + 1000)}/${after.documents[0]!.id}`)).statusCode).toBe(404);

    const queued = (await outbox('document')).slice(before);
    const mine = queued.filter((m) => m.recipient === DDO_MOBILE || m.recipient === DDO_EMAIL);
    expect(mine.map((m) => `${m.channel}:${m.template}`).sort()).toEqual([
      'email:attendance.revision.notify.documentEmail',
      'sms:attendance.revision.notify.documentSms',
    ]);
    expect(mine.every((m) => m.locale === 'hi' && Number(m.params.id) === rev.id && m.params.name === 'register page.jpg')).toBe(true);
    const audit = await t.database.db.execute<{ after: { name: string; mime: string; documents: number; notified: number } }>(
      sql`select after from audit_log where entity = 'attendance_revision' and entity_id = ${String(rev.id)} and action = 'add_document'`,
    );
    expect(audit.rows.map((r) => r.after)).toEqual([expect.objectContaining({ name: 'register page.jpg', mime: 'image/jpeg', documents: 1 })]);

    // A second one, a PDF: both listed, oldest first.
    const two = await addDoc(dm, rev.id, { name: 'leave.pdf', bytes: PDF, type: 'application/pdf' });
    expect(two.statusCode, two.body).toBe(200);
    expect((two.json() as TRevision).documents.map((d) => d.name)).toEqual(['register page.jpg', 'leave.pdf']);

    // Decided: no more documents — refused, nothing saved; the documents stay readable.
    expect((await ddo.post(`${REV}/${rev.id}/decision`, { decision: 'approve', remarks: 'Register checked' })).statusCode).toBe(200);
    const late = jpeg('too late');
    await refused(() => addDoc(dm, rev.id, { name: 'late.jpg', bytes: late, type: 'image/jpeg' }), 409, 'attendance_revision_decided');
    expect(await onDisk(late)).toBe(false);
    expect((await ddo.get(`${docs(rev.id)}/${after.documents[0]!.id}`)).statusCode).toBe(200);
    const list = ((await dm.get(`${REV}?state=approved`)).json() as { items: TRevision[] }).items.find((x) => x.id === rev.id)!;
    expect(list.canAddDocument).toBe(false);
    expect(list.documents).toHaveLength(2);
  });

  it('refuses files by content and size, anyone but the maker, and another office: nothing saved, nothing on disk', async () => {
    const rows = await freeEntries(1);
    const rev = (await dm.post(url, { reason: 'Leave recorded late', rows })).json() as TRevision;
    await refused(() => addDoc(dm, rev.id, { name: 'register.pdf', bytes: ZIP, type: 'application/pdf' }), 400, 'file_not_document', 'document');
    await refused(() => addDoc(dm, rev.id, { name: 'e.pdf', bytes: Buffer.alloc(0), type: 'application/pdf' }), 400, 'file_empty', 'document');
    const big = Buffer.concat([PDF, Buffer.alloc(MAX_REVISION_DOC_BYTES, 0x20)]);
    await refused(() => addDoc(dm, rev.id, { name: 'big.pdf', bytes: big, type: 'application/pdf' }), 413, 'file_too_large', 'document');
    // The words name this upload's own limit — 5 MB, PDF, JPEG or PNG — in English and Hindi, not another form's "PDF of at most 2 MB".
    const words = {
      en: {
        tooLarge: 'The file is larger than 5 MB. Upload a file of at most 5 MB (PDF, JPEG or PNG).',
        field: 'The file is larger than 5 MB. Choose a file of at most 5 MB (PDF, JPEG or PNG).',
        required: 'Choose the file (PDF, JPEG or PNG, at most 5 MB).',
      },
      hi: {
        tooLarge: 'फ़ाइल 5 MB से बड़ी है। अधिकतम 5 MB की फ़ाइल अपलोड करें (PDF, JPEG या PNG)।',
        field: 'फ़ाइल 5 MB से बड़ी है। अधिकतम 5 MB की फ़ाइल चुनें (PDF, JPEG या PNG)।',
        required: 'फ़ाइल चुनें (PDF, JPEG या PNG, अधिकतम 5 MB)।',
      },
    };
    try {
      for (const lang of ['en', 'hi'] as const) {
        dm.cookies.roams_lang = lang;
        // Added to a pending request, and sent with a new request: the same words, the same limit.
        const added = await refused(() => addDoc(dm, rev.id, { name: 'big.pdf', bytes: big, type: 'application/pdf' }), 413, 'file_too_large', 'document');
        const made = await refused(
          () => postForm(dm, form('Leave recorded late', rows, { name: 'big.pdf', bytes: big, type: 'application/pdf' })),
          413,
          'file_too_large',
          'document',
        );
        for (const res of [added, made]) {
          expect(res.json().title).toBe(words[lang].tooLarge);
          expect(res.json().params).toEqual({ max: '5 MB', types: 'pdfImage' });
          expect(res.json().errors[0].message).toBe(words[lang].field);
        }
        const m = multipart({}, []);
        const none = await refused(
          () => dm.request({ method: 'POST', url: docs(rev.id), payload: m.payload, headers: m.headers }),
          400,
          'file_required',
          'document',
        );
        expect(none.json().errors[0].message).toBe(words[lang].required);
      }
    } finally {
      delete dm.cookies.roams_lang;
    }
    expect(await onDisk(big)).toBe(false);
    // Only the file part: a text field is refused.
    await refused(() => addDoc(dm, rev.id, { name: 'a.png', bytes: PNG, type: 'image/png' }, { reason: 'x' }), 400, 'validation_failed', 'reason');
    const m = multipart({}, []);
    await refused(() => dm.request({ method: 'POST', url: docs(rev.id), payload: m.payload, headers: m.headers }), 400, 'file_required', 'document');
    await refused(() => dm.post(docs(rev.id), { document: 'x' }), 415, 'unsupported_media_type');

    const theirs = jpeg('not theirs');
    // The office's other department manager reads the request but did not make it: 403.
    expect(((await secondDm.get(REV)).json() as { items: TRevision[] }).items.find((x) => x.id === rev.id)?.canAddDocument).toBe(false);
    await refused(() => addDoc(secondDm, rev.id, { name: 'x.jpg', bytes: theirs, type: 'image/jpeg' }), 403, 'attendance_revision_not_requester');
    // The DDO (no attendance.manage) and an agency: 403. Another office's manager, an unknown id: 404.
    await refused(() => addDoc(ddo, rev.id, { name: 'x.jpg', bytes: theirs, type: 'image/jpeg' }), 403, 'forbidden');
    await refused(() => addDoc(agency, rev.id, { name: 'x.jpg', bytes: theirs, type: 'image/jpeg' }), 403, 'forbidden');
    await refused(() => addDoc(otherDm, rev.id, { name: 'x.jpg', bytes: theirs, type: 'image/jpeg' }), 404, 'not_found');
    await refused(() => addDoc(dm, 999_999, { name: 'x.jpg', bytes: theirs, type: 'image/jpeg' }), 404, 'not_found');
    expect(await onDisk(theirs)).toBe(false);
    const anon = multipart({}, [{ field: 'document', name: 'x.jpg', bytes: theirs, type: 'image/jpeg' }]);
    expect((await t.anon.request({ method: 'POST', url: docs(rev.id), payload: anon.payload, headers: anon.headers })).statusCode).toBe(401);

    // Added, then: another office's manager cannot read it (404), nor an agency (403).
    const ok = await addDoc(dm, rev.id, { name: 'a.png', bytes: PNG, type: 'image/png' });
    expect(ok.statusCode, ok.body).toBe(200);
    const docId = (ok.json() as TRevision).documents[0]!.id;
    expect((await otherDm.get(`${docs(rev.id)}/${docId}`)).statusCode).toBe(404);
    expect((await agency.get(`${docs(rev.id)}/${docId}`)).statusCode).toBe(403);
    expect((await secondDm.get(`${docs(rev.id)}/${docId}`)).statusCode).toBe(200);
    expect((await ddo.post(`${REV}/${rev.id}/decision`, { decision: 'refuse', remarks: 'Not needed.' })).statusCode).toBe(200);
  });

  it('the database keeps added documents append-only, on pending requests, by the maker', async () => {
    const rows = await freeEntries(1);
    const rev = (await dm.post(url, { reason: 'Leave recorded late', rows })).json() as TRevision;
    const added = ((await addDoc(dm, rev.id, { name: 'a.png', bytes: PNG, type: 'image/png' })).json() as TRevision).documents[0]!;
    const db = t.database.db;
    expect(await dbRefusal(sql`update attendance_revision_documents set added_at = now() where id = ${added.id}`)).toContain('ROAMS_IMMUTABLE');
    expect(await dbRefusal(sql`delete from attendance_revision_documents where id = ${added.id}`)).toContain('ROAMS_IMMUTABLE');
    const f = await db.execute<{ fileId: number; by: number }>(
      sql`select file_id as "fileId", added_by as by from attendance_revision_documents where id = ${added.id}`,
    );
    const { fileId, by } = f.rows[0]!;
    const other = await db.execute<{ id: number }>(sql`select id from users where username = 'second_dm'`);
    expect(
      await dbRefusal(
        sql`insert into attendance_revision_documents (request_id, file_id, added_by, added_at) values (${rev.id}, ${fileId}, ${other.rows[0]!.id}, now())`,
      ),
    ).toContain('ROAMS_IMMUTABLE');
    expect((await ddo.post(`${REV}/${rev.id}/decision`, { decision: 'refuse', remarks: 'Not needed.' })).statusCode).toBe(200);
    expect(
      await dbRefusal(sql`insert into attendance_revision_documents (request_id, file_id, added_by, added_at) values (${rev.id}, ${fileId}, ${by}, now())`),
    ).toContain('ROAMS_FROZEN');
  });

  it('a transaction that fails after the file was written leaves no bytes behind (request and added document)', async () => {
    const db = t.database.db;
    // Make the next step after the write fail: a trigger refusing what the transaction inserts next.
    await db.execute(sql`create function test_fail() returns trigger language plpgsql as $$ begin raise exception 'test: failed after the write'; end $$`);
    const rows = await freeEntries(1);
    let rev: TRevision | undefined;
    try {
      // A request with a document whose items cannot be inserted.
      await db.execute(sql`create trigger test_fail before insert on attendance_revision_items for each row execute function test_fail()`);
      const withDoc = jpeg('request rolled back');
      const made = await postForm(dm, form('Leave recorded late', rows, { name: 'r.jpg', bytes: withDoc, type: 'image/jpeg' }));
      expect(made.statusCode).toBe(500);
      expect(await onDisk(withDoc)).toBe(false);
      const kept = await db.execute(sql`select 1 from stored_files where sha256 = ${createHash('sha256').update(withDoc).digest('hex')}`);
      expect(kept.rows).toHaveLength(0);
      await db.execute(sql`drop trigger test_fail on attendance_revision_items`);

      // A document added to a pending request, whose record cannot be inserted.
      rev = (await dm.post(url, { reason: 'Leave recorded late', rows })).json() as TRevision;
      await db.execute(sql`create trigger test_fail before insert on attendance_revision_documents for each row execute function test_fail()`);
      const doc = jpeg('written then rolled back');
      const res = await addDoc(dm, rev.id, { name: 'x.jpg', bytes: doc, type: 'image/jpeg' });
      expect(res.statusCode).toBe(500);
      expect(await onDisk(doc)).toBe(false);
    } finally {
      await db.execute(sql`drop trigger if exists test_fail on attendance_revision_documents`);
      await db.execute(sql`drop trigger if exists test_fail on attendance_revision_items`);
      await db.execute(sql`drop function test_fail()`);
    }
    if (!rev) throw new Error('no request');
    // And the same content added successfully afterwards is stored.
    const again = jpeg('written then rolled back');
    expect((await addDoc(dm, rev.id, { name: 'x.jpg', bytes: again, type: 'image/jpeg' })).statusCode).toBe(200);
    expect(await onDisk(again)).toBe(true);
    expect((await ddo.post(`${REV}/${rev.id}/decision`, { decision: 'refuse', remarks: 'Not needed.' })).statusCode).toBe(200);
  });

  it('every download of a revision document is audited: who, which request, which document; a refused one is not', async () => {
    const db = t.database.db;
    type Entry = { actorName: string; role: string; entityId: string; departmentId: number | null; after: Record<string, unknown> };
    const downloads = async (id: number) =>
      (
        await db.execute<Entry>(sql`select actor_name as "actorName", role, entity_id as "entityId", department_id as "departmentId", after
          from audit_log where entity = 'attendance_revision' and action = 'downloaded' and entity_id = ${String(id)} order by seq`)
      ).rows;
    const rows = await freeEntries(1);
    const made = await postForm(dm, form('Leave recorded late', rows, { name: 'leave register.pdf', bytes: PDF, type: 'application/pdf' }));
    expect(made.statusCode, made.body).toBe(200);
    const rev = made.json() as TRevision;
    const jpg = jpeg('download audited');
    const added = await addDoc(dm, rev.id, { name: 'page.jpg', bytes: jpg, type: 'image/jpeg' });
    expect(added.statusCode, added.body).toBe(200);
    const docId = (added.json() as TRevision).documents[0]!.id;
    expect(await downloads(rev.id)).toEqual([]);

    // Refused downloads leave no entry: another office's manager (404), an agency (403), a wrong document id (404).
    expect((await otherDm.get(`${REV}/${rev.id}/document`)).statusCode).toBe(404);
    expect((await otherDm.get(`${docs(rev.id)}/${docId}`)).statusCode).toBe(404);
    expect((await agency.get(`${REV}/${rev.id}/document`)).statusCode).toBe(403);
    expect((await ddo.get(`${docs(rev.id)}/${docId + 1000}`)).statusCode).toBe(404);
    expect(await downloads(rev.id)).toEqual([]);

    // The DDO downloads the request's document, then the added one; the maker downloads the request's.
    expect((await ddo.get(`${REV}/${rev.id}/document`)).statusCode).toBe(200);
    expect((await ddo.get(`${docs(rev.id)}/${docId}`)).statusCode).toBe(200);
    expect((await dm.get(`${REV}/${rev.id}/document`)).statusCode).toBe(200);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    const dept = await db.execute<{ d: number }>(sql`select department_id as d from offices where id = ${OFFICE}`);
    const got = await downloads(rev.id);
    expect(got).toHaveLength(3);
    expect(got.map((e) => [e.actorName, e.role])).toEqual([
      [expect.any(String), 'ddo'],
      [expect.any(String), 'ddo'],
      ['Ramesh Sharma', 'department_manager'],
    ]);
    expect(got[0]!.actorName).toBe(got[1]!.actorName);
    expect(got[0]!.actorName).not.toBe('Ramesh Sharma');
    for (const e of got) {
      expect(e.entityId).toBe(String(rev.id));
      expect(Number(e.departmentId)).toBe(Number(dept.rows[0]!.d));
    }
    expect(got[0]!.after).toMatchObject({
      document: 'request',
      documentId: null,
      name: 'leave register.pdf',
      mime: 'application/pdf',
      sizeBytes: PDF.length,
      sha256: sha(PDF),
    });
    expect(got[1]!.after).toMatchObject({
      document: 'added',
      documentId: docId,
      name: 'page.jpg',
      mime: 'image/jpeg',
      sizeBytes: jpg.length,
      sha256: sha(jpg),
    });
    expect(got[2]!.after).toMatchObject({ document: 'request', documentId: null, sha256: sha(PDF) });
    expect((await ddo.post(`${REV}/${rev.id}/decision`, { decision: 'refuse', remarks: 'Not needed.' })).statusCode).toBe(200);
  });
});
