import { createHash } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import type { TGateChange, TGateSetting, TProof, TProofListQuery, TProofSummary, TProofUpload } from '../../../shared/contracts/proof.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { decodeEcrText, type EcrRow, ecrColumnNo, parseEcr, rupeesToPaise } from '../../../shared/domain/ecr.ts';
import type { TFieldError } from '../../../shared/errors.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { reachOf, requireRecord, sourceCondition } from '../../platform/access/access.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError, fieldError } from '../../platform/errors.ts';
import { type FileStore, getStoredFile, safeFileName, saveUpload } from '../../platform/files/files.ts';
import { proofAccess } from './proof.policy.ts';
import * as repo from './proof.repo.ts';
import { reconcile } from './proof.rules.ts';
import { readAll } from '../../db/read-all.ts';

/**
 * The statutory proof's use cases (spec 06, issue 17 item 2): the agency uploads the ECR and the
 * ESIC challan of a wage month; ROAMS parses and reconciles it with its invoices; everyone in
 * reach reads proofs and their differences; Finance switches the gate per department. The gate
 * itself (`proofGate`) is in proof.gate.ts.
 */

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

function summaryOut(r: repo.ProofRow): TProofSummary {
  return {
    id: r.id,
    agencyId: r.agencyId,
    agencyName: r.agencyName,
    month: r.month.slice(0, 7),
    version: r.version,
    current: r.current,
    status: r.status,
    trrn: r.trrn,
    paymentDate: r.paymentDate,
    esicChallanNo: r.esicChallanNo,
    esicChallanDate: r.esicChallanDate,
    esicAmountPaise: Number(r.esicAmountPaise),
    billedEsicPaise: Number(r.billedEsicPaise),
    members: r.members,
    billedResources: r.billedResources,
    differences: Number(r.differences),
    uploadedAt: iso(r.uploadedAt)!,
  };
}

export async function getProof(db: DbOrTx, ctx: Ctx, id: number): Promise<TProof> {
  await requireRecord(db, actorOf(ctx), proofAccess, id);
  const r = await repo.getProof(db, id);
  if (!r) throw new AppError('not_found');
  const diffs = await repo.differencesOf(db, id);
  return {
    ...summaryOut(r),
    ecrFileName: r.ecrFileName,
    epfWagesPaise: Number(r.epfWagesPaise),
    differenceList: diffs.map((d) => ({
      ...d,
      resourceId: d.resourceId === null ? null : Number(d.resourceId),
      billedPaise: Number(d.billedPaise),
      foundPaise: d.foundPaise === null ? null : Number(d.foundPaise),
    })),
  };
}

/** The ECR file as uploaded (within the caller's reach, else "not found"). */
export async function ecrFile(db: DbOrTx, store: FileStore, ctx: Ctx, id: number): Promise<{ bytes: Buffer; name: string }> {
  await requireRecord(db, actorOf(ctx), proofAccess, id);
  const fileId = await repo.ecrFileOf(db, id);
  const f = fileId === null ? null : await getStoredFile(db, fileId);
  if (!f) throw new AppError('not_found');
  return { bytes: await store.get(f.storageKey), name: f.originalName };
}

export async function listProofs(db: Db, ctx: Ctx, q: TProofListQuery) {
  const reach = await reachOf(db, actorOf(ctx));
  const conds: SQL[] = [sourceCondition(reach, proofAccess)];
  if (q.month) conds.push(sql`p.month = ${`${q.month}-01`}`);
  if (q.agencyId) conds.push(sql`p.agency_id = ${q.agencyId}`);
  if (q.status) conds.push(sql`p.status = ${q.status}`);
  const { rows, total } = await repo.listProofs(db, sql.join(conds, sql` and `), q.pageSize, (q.page - 1) * q.pageSize);
  return { items: rows.map(summaryOut), total, page: q.page, pageSize: q.pageSize };
}

/** The ECR as uploaded: its name and bytes (the route reads the multipart). */
export type EcrUpload = { bytes: Buffer; filename: string };

/** The parser's problems as field errors on `ecr`, each naming its line (at most 200 listed). */
function ecrErrors(problems: ReturnType<typeof parseEcr>['problems']): TFieldError[] {
  return problems.map((p) => ({
    field: 'ecr',
    code: p.reason,
    params: {
      line: p.line,
      ...(p.column ? { col: ecrColumnNo(p.column) } : {}),
      ...(p.count !== undefined ? { count: p.count } : {}),
      ...(p.firstLine ? { firstLine: p.firstLine } : {}),
    },
  }));
}

/**
 * Uploads the agency's proof for a wage month that is over. The ECR is refused as a whole with
 * every line's problem (nothing saved); a month the agency billed nothing for has no proof to
 * give; an ECR holding none of the billed UANs is another establishment's (or another
 * agency's) and is refused. Otherwise it is stored as the next version with what it held and
 * what the reconciliation found — until a version reconciles; after that the month is closed.
 */
export async function uploadProof(db: Db, store: FileStore, ctx: Ctx, input: TProofUpload, ecr: EcrUpload): Promise<TProof> {
  const actor = actorOf(ctx);
  if (actor.scopeKind !== 'agency') throw new AppError('forbidden');
  const id = await recordProof(db, store, ctx, actor.scopeId, input, ecr);
  return getProof(db, ctx, id);
}

/** The upload for an agency (the demo seed records another agency's without a login); returns the proof's id. */
export async function recordProof(db: Db, store: FileStore, ctx: Ctx, agencyId: number, input: TProofUpload, ecr: EcrUpload): Promise<number> {
  const userId = ctx.actor?.userId ?? null;
  const month = `${input.month}-01`;
  if (input.month >= todayIst(ctx.now).slice(0, 7)) throw fieldError('month', 'proof_month_not_over');
  const safeName = safeFileName(ecr.filename, 'ecr.txt', 'ecr', '.txt');
  const text = decodeEcrText(ecr.bytes);
  if (text === null) throw fieldError('ecr', 'ecr_not_text');
  const parsed = parseEcr(text);
  if (parsed.problemCount > 0) throw new AppError('ecr_invalid', { errors: ecrErrors(parsed.problems), params: { count: parsed.problemCount } });

  if ((await repo.billedInvoices(db, agencyId, month)) === 0) throw new AppError('proof_nothing_billed', { params: { month: input.month } });
  const ecrByUan = new Map<string, EcrRow>(parsed.rows.map((r) => [r.uan, r]));
  const [billed, billedEsicPaise] = await readAll(db, [() => repo.billedMembers(db, agencyId, month), () => repo.billedEsic(db, agencyId, month)]);
  const result = reconcile(billed, ecrByUan, { billedPaise: billedEsicPaise, challanPaise: input.esicAmountPaise });
  if (result.withUan > 0 && result.found === 0) throw new AppError('proof_other_establishment', { params: { month: input.month } });

  const sha256 = createHash('sha256').update(ecr.bytes).digest('hex');
  const epfWagesPaise = parsed.rows.reduce((a, r) => a + rupeesToPaise(r.epfWages), 0);
  return db.transaction(async (tx) => {
    await repo.lockAgencyProofs(tx, agencyId);
    const latest = await repo.latestProof(tx, agencyId, month);
    if (latest?.status === 'reconciled') throw new AppError('proof_already_reconciled', { params: { month: input.month } });
    // The current version again — the same ECR, challan and billing (a double click, a retry): nothing new to store.
    if (
      latest &&
      latest.sha256 === sha256 &&
      latest.trrn === input.trrn &&
      latest.payment_date === input.paymentDate &&
      latest.esic_challan_no === input.esicChallanNo &&
      latest.esic_challan_date === input.esicChallanDate &&
      Number(latest.esic_amount_paise) === input.esicAmountPaise &&
      Number(latest.billed_esic_paise) === billedEsicPaise &&
      Number(latest.billed_resources) === billed.length &&
      latest.status === result.status &&
      Number(latest.differences) === result.differences.length
    )
      throw new AppError('proof_same_upload', { params: { month: input.month, version: latest.version } });
    const version = (latest?.version ?? 0) + 1;
    const { file } = await saveUpload(tx, store, { bytes: ecr.bytes, sha256, sizeBytes: ecr.bytes.length, mime: 'text/plain', safeName }, userId, ctx.now);
    const proofId = await repo.insertProof(tx, {
      agencyId,
      month,
      version,
      ecrFileId: file.id,
      trrn: input.trrn,
      paymentDate: input.paymentDate,
      esicChallanNo: input.esicChallanNo,
      esicChallanDate: input.esicChallanDate,
      esicAmountPaise: input.esicAmountPaise,
      billedEsicPaise,
      members: parsed.rows.length,
      billedResources: billed.length,
      epfWagesPaise,
      status: result.status,
      uploadedBy: userId,
      uploadedAt: ctx.now,
    });
    await repo.insertRows(
      tx,
      parsed.rows.map((r) => ({
        proofId,
        lineNo: r.line,
        uan: r.uan,
        name: r.name,
        grossWagesPaise: rupeesToPaise(r.grossWages),
        epfWagesPaise: rupeesToPaise(r.epfWages),
        epsWagesPaise: rupeesToPaise(r.epsWages),
        edliWagesPaise: rupeesToPaise(r.edliWages),
        eeSharePaise: rupeesToPaise(r.eeShare),
        epsSharePaise: rupeesToPaise(r.epsShare),
        erSharePaise: rupeesToPaise(r.erShare),
        ncpDays: r.ncpDays,
        refundPaise: rupeesToPaise(r.refund),
      })),
    );
    await repo.insertDifferences(
      tx,
      result.differences.map((d) => ({
        proofId,
        kind: d.kind,
        resourceId: d.resourceId,
        uan: d.uan,
        nameEn: d.nameEn,
        nameHi: d.nameHi,
        billedPaise: d.billedPaise,
        foundPaise: d.foundPaise,
      })),
    );
    await recordAudit(tx, ctx, {
      entity: 'statutory_proof',
      entityId: proofId,
      action: 'upload',
      before: latest ? { version: latest.version, status: latest.status } : null,
      after: {
        agencyId,
        month: input.month,
        version,
        status: result.status,
        differences: result.differences.length,
        members: parsed.rows.length,
        trrn: input.trrn,
        fileId: file.id,
      },
    });
    return proofId;
  });
}

// --- The gate switch (Finance) -------------------------------------------------------------------

export async function listGate(db: DbOrTx): Promise<{ items: TGateSetting[] }> {
  const rows = await repo.gateSettings(db);
  return {
    items: rows.map((r) => ({
      departmentId: Number(r.departmentId),
      departmentNameEn: r.departmentNameEn,
      departmentNameHi: r.departmentNameHi,
      enabled: r.enabled ?? true,
      reason: r.reason ?? '',
      changedAt: iso(r.changedAt),
    })),
  };
}

/** Finance switches the gate of a department off or on, with its reason; each change is a new row and audited. */
export async function setGate(db: Db, ctx: Ctx, departmentId: number, change: TGateChange): Promise<TGateSetting> {
  const actor = actorOf(ctx);
  if (actor.scopeKind !== 'state') throw new AppError('forbidden');
  if (!(await repo.departmentExists(db, departmentId))) throw new AppError('not_found');
  await db.transaction(async (tx) => {
    // Locked before the read: of twin switches the second sees the first's row (409), so one row, one audit, a true 'before'.
    await repo.lockGate(tx, departmentId);
    const before = await repo.gateOf(tx, departmentId);
    const wasOn = before?.enabled ?? true;
    if (wasOn === change.enabled) throw new AppError('proof_gate_unchanged');
    await repo.insertGate(tx, { departmentId, enabled: change.enabled, reason: change.reason, changedBy: actor.userId, changedAt: ctx.now });
    await recordAudit(tx, ctx, {
      entity: 'proof_gate',
      entityId: departmentId,
      action: change.enabled ? 'switch_on' : 'switch_off',
      before: { enabled: wasOn },
      after: { enabled: change.enabled, reason: change.reason },
      departmentId,
    });
  });
  const item = (await listGate(db)).items.find((i) => i.departmentId === departmentId);
  if (!item) throw new AppError('not_found');
  return item;
}
