#!/usr/bin/env node
// Bar M2 (issue 17): a crash around the COMMIT of a money action leaves nothing or the whole thing,
// and the retry with the same key never does it twice. On a PostgreSQL cluster of its own (never a
// shared server), ROAMS in demo mode, the DDO `ddo_bhopal` takes three money actions, each at
// POINTS kill points of its own:
//   approve — approves a verified invoice (second factor): one transaction writes the approval
//             event, the workflow stage, the bill (deductions, payees) and the audit entry;
//   send    — sends that bill to the sandbox IFMIS: a transaction marks it sent (the bill_sent
//             event holds the key), IFMIS is called, a second transaction writes the
//             acknowledgement (workflow approved → billed);
//   pay     — records a ₹1 payment (its own UTR) on the demo's acknowledged bill PAYDEMO/2.
// Each point has its own invoice / bill / UTR and key, so points are independent: the script
// makes POINTS + 1 verified invoices before it starts — copies of the demo's verified invoice
// (header, details, lines; submitted by the agency, verified by the department manager), by SQL
// in its own cluster, in earlier months the contract has no invoice for, with the proof gate
// switched off for the department (as Finance may) — and their bills come from the approve case
// itself (a send-only run approves them first, without kills).
// Per case: a control request without a kill on a freshly started server measures how long the
// action takes (L); two of every three points are killed at delays spread over 0 … 1.3 × L (or
// 0 … MAX_DELAY_MS when set), so the kills land before, inside and after the transaction(s) and
// their COMMIT; every third point is killed the moment the script (polling its own connection
// every 2 ms) sees the COMMIT — committed, not yet answered; for `send`, mostly between its two
// transactions. At each point:
// code from the developer outbox → request → SIGKILL → what the dead
// process committed is read and must be all or nothing → restart → the same request again (same
// key, same code) → it must succeed, as a replay when the first had committed, with exactly one of
// everything. The bill of every approval must equal the control's (all copies have the same
// amounts and the contract's value does not change during the run).
// Usage: node scripts/m2-kill.mjs [--quick] [--case approve|send|pay ...]
//   POINTS (default 50; --quick 6) per case; MAX_DELAY_MS overrides the measured delay range.
import { Rig, killPoint, postKeyed, spread } from './lib/m2.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const picked = args.flatMap((a, i) => (args[i - 1] === '--case' ? a.split(',') : []));
const CASES = picked.length ? picked : ['approve', 'send', 'pay'];
for (const c of CASES) if (!['approve', 'send', 'pay'].includes(c)) throw new Error(`unknown case ${c} (approve, send, pay)`);
const POINTS = Number(process.env.POINTS ?? (quick ? 6 : 50));
const MAX_DELAY_MS = process.env.MAX_DELAY_MS ? Number(process.env.MAX_DELAY_MS) : null;
const DDO = 'ddo_bhopal';
const t0 = Date.now();
const failures = [];
const summaries = [];
const today = new Date(Date.now() + 5.5 * 3600_000).toISOString().slice(0, 10);
const fail = (msg) => failures.push(msg);
let rig;

// --- Preparing the state: verified invoices of the demo's DDO code -------------------------------

/** `n` copies of the demo's verified invoice, verified (by SQL in this run's own cluster). Answers their ids. */
async function cloneVerified(n, from) {
  const [who] = await rig.q(
    `select (select id from users where username = 'agency_admin') as agency,
                                    (select id from users where username = 'dm_bhopal') as dm,
                                    (select ra.scope_id from role_assignments ra join users u on u.id = ra.user_id
                                      where u.username = $1 and ra.role = 'ddo' and ra.active order by ra.id limit 1) as ddo_code`,
    [DDO],
  );
  const [src] = await rig.q(
    `select i.id from invoices i join invoice_workflow w on w.invoice_id = i.id
      where w.stage = 'verified' and i.status = 'active' and i.ddo_code_id = $1 order by i.id limit 1`,
    [who.ddo_code],
  );
  if (!src) throw new Error(`the demo has no verified invoice for ${DDO}`);
  // Months the source's contract has no active invoice for (the one-invoice-per-contract-month
  // index), newest first, not before 2020 (the API's months are 20YY-MM).
  const months = await rig.q(
    `select to_char(m, 'YYYY-MM-DD') as month from generate_series(
        (select month from invoices where id = $1) - interval '1 month', date '2020-01-01', interval '-1 month') m
      where not exists (select 1 from invoices i join invoices s on s.id = $1
                         where i.contract_id = s.contract_id and i.ddo_code_id = s.ddo_code_id and i.status = 'active' and i.month = m::date)
      order by m desc limit $2`,
    [src.id, n],
  );
  if (months.length < n) throw new Error(`only ${months.length} free months (since 2020) for ${n} copies of invoice ${src.id}`);
  const ids = [];
  await rig.q('begin');
  try {
    // Copies sit in consecutive months, so the proof gate (month M waits for the agency's proof of
    // M−1 when it billed M−1) would hold them: Finance switches it off for the department, as it
    // may (spec 06); an approval it would have held records its `gate_waived` event.
    await rig.q(
      `insert into proof_gate_settings (department_id, enabled, reason, changed_by, changed_at)
       select department_id, false, 'M2 kill test', (select id from users where username = 'finance_admin'), now() from invoices where id = $1`,
      [src.id],
    );
    for (let k = from; k < from + n; k++) {
      const [inv] = await rig.q(
        `insert into invoices (contract_id, contract_version_id, agency_id, department_id, office_id, ddo_code_id, ddo_code, month, invoice_no, invoice_date, status,
           intra_state, wage_basis, epf_mode, esic_applies, service_charge_bp, bonus_bp, subtotal_paise, reimbursed_paise, service_charge_paise, taxable_paise, gst_paise,
           gross_total_paise, round_off_paise, total_paise, arrears_paise, content_hash, generated_by, generated_at)
         select contract_id, contract_version_id, agency_id, department_id, office_id, ddo_code_id, ddo_code, $2::date, $3, invoice_date, 'active',
           intra_state, wage_basis, epf_mode, esic_applies, service_charge_bp, bonus_bp, subtotal_paise, reimbursed_paise, service_charge_paise, taxable_paise, gst_paise,
           gross_total_paise, round_off_paise, total_paise, arrears_paise, content_hash, generated_by, generated_at
           from invoices where id = $1 returning id`,
        [src.id, months[k - from].month, `M2/${String(k).padStart(4, '0')}`],
      );
      await rig.q(
        `insert into invoice_details (invoice_id, resource_id, office_id, skill_level_id, post_name_id, name_en, name_hi, aadhaar_last4, basic_paise, vda_paise,
           minimum_wage_paise, paid_days, days_in_month, day_rate_paise, earned_wage_paise, pf_wage_paise, esic_wage_paise, bonus_wage_paise, esic_covered, cost_paise,
           reimbursed_paise, employee_deduction_paise, net_wage_paise)
         select $2, resource_id, office_id, skill_level_id, post_name_id, name_en, name_hi, aadhaar_last4, basic_paise, vda_paise,
           minimum_wage_paise, paid_days, days_in_month, day_rate_paise, earned_wage_paise, pf_wage_paise, esic_wage_paise, bonus_wage_paise, esic_covered, cost_paise,
           reimbursed_paise, employee_deduction_paise, net_wage_paise from invoice_details where invoice_id = $1 order by id`,
        [src.id, inv.id],
      );
      await rig.q(
        `insert into invoice_lines (invoice_id, detail_id, code, kind, stage, base_paise, rate_ppm, amount_paise, arrears_month, label_en, label_hi, sort_order)
         select $2, nd.id, l.code, l.kind, l.stage, l.base_paise, l.rate_ppm, l.amount_paise, l.arrears_month, l.label_en, l.label_hi, l.sort_order
           from invoice_lines l left join invoice_details od on od.id = l.detail_id
           left join invoice_details nd on nd.invoice_id = $2 and nd.resource_id = od.resource_id
          where l.invoice_id = $1 order by l.id`,
        [src.id, inv.id],
      );
      await rig.q(
        `insert into invoice_workflow (invoice_id, stage, submitted_at, submitted_by, updated_at) values ($1, 'submitted', now() - interval '3 hours', $2, now() - interval '3 hours')`,
        [inv.id, who.agency],
      );
      await rig.q(
        `update invoice_workflow set stage = 'verified', verified_at = now() - interval '2 hours', verified_by = $2, updated_at = now() where invoice_id = $1`,
        [inv.id, who.dm],
      );
      await rig.q(
        `insert into invoice_events (invoice_id, action, actor_user_id, actor_role, at, remarks) values
           ($1, 'submit', $2, 'agency_admin', now() - interval '3 hours', ''), ($1, 'verify', $3, 'department_manager', now() - interval '2 hours', 'M2 kill test copy')`,
        [inv.id, who.agency, who.dm],
      );
      ids.push(inv.id);
    }
    await rig.q('commit');
  } catch (e) {
    await rig.q('rollback');
    throw e;
  }
  return ids;
}

// --- Invariants: what the database holds for one point, all or nothing ---------------------------

const BILL_AMOUNTS = `select b.id, b.bill_no, b.status, b.gross_paise::bigint::text as gross, b.gst_paise::text as gst, b.tds_base_paise::text as tds_base,
    b.deductions_paise::text as deductions, b.net_payable_paise::text as net, b.invoice_pdf_sha256 as pdf,
    (select coalesce(json_agg(json_build_array(d.code, d.base_paise::text, d.rate_ppm, d.amount_paise::text) order by d.code), '[]') from bill_deductions d where d.bill_id = b.id)::text as parts,
    (select coalesce(json_agg(json_build_array(p.seq, p.kind, p.amount_paise::text) order by p.seq), '[]') from bill_payees p where p.bill_id = b.id)::text as payees,
    (select coalesce(sum(d.amount_paise), 0)::text from bill_deductions d where d.bill_id = b.id) as sum_parts,
    (select coalesce(sum(p.amount_paise), 0)::text from bill_payees p where p.bill_id = b.id) as sum_payees
   from bills b where b.invoice_id = $1`;
const amountsOf = (b) => JSON.stringify([b.gross, b.gst, b.tds_base, b.deductions, b.net, b.parts, b.payees]);

/** The approval of invoice `id` under `key`: 'none' (nothing of it) or 'whole'; anything else is a failure. */
async function approvalState(id, key, ref) {
  const [s] = await rig.q(
    `select (select count(*)::int from invoice_events where invoice_id = $1 and action = 'approve') as events,
            (select count(*)::int from invoice_events where invoice_id = $1 and action = 'approve' and idempotency_key = $2) as by_key,
            (select count(*)::int from invoice_events where invoice_id = $1 and action = 'gate_waived') as waived,
            (select count(*)::int from bills where invoice_id = $1) as bills,
            (select stage from invoice_workflow where invoice_id = $1) as stage,
            (select count(*)::int from audit_log where entity = 'invoice' and entity_id = $1::text and action = 'approve') as audits,
            (select count(*)::int from otps where used_for = $2) as codes,
            (select pdf_sha256 from invoices where id = $1) as pdf`,
    [id, key],
  );
  if (s.events === 0 && s.waived === 0 && s.bills === 0 && s.stage === 'verified' && s.audits === 0 && s.codes === 0) return { state: 'none' };
  const problems = [];
  if (s.events !== 1 || s.by_key !== 1) problems.push(`${s.events} approval events (${s.by_key} under the key)`);
  if (s.waived > 1) problems.push(`${s.waived} gate-waived events`); // one when the gate would have held, else none
  if (s.bills !== 1) problems.push(`${s.bills} bills`);
  if (s.stage !== 'approved') problems.push(`workflow ${s.stage}`);
  if (s.audits !== 1) problems.push(`${s.audits} approval audit entries`);
  if (s.codes !== 1) problems.push(`${s.codes} codes used for the key`);
  const [b] = await rig.q(BILL_AMOUNTS, [id]);
  if (b) {
    if (BigInt(b.gross) - BigInt(b.deductions) !== BigInt(b.net) || b.sum_parts !== b.deductions || b.sum_payees !== b.net)
      problems.push(
        `bill ${b.bill_no} does not balance: gross ${b.gross} − deductions ${b.deductions} (rows ${b.sum_parts}) ≠ net ${b.net} (payees ${b.sum_payees})`,
      );
    if (!s.pdf || b.pdf !== s.pdf) problems.push(`bill's PDF ${b.pdf} is not the invoice's ${s.pdf}`);
    if (ref && amountsOf(b) !== ref) problems.push(`bill amounts ${amountsOf(b)} differ from the control's ${ref}`);
  }
  return { state: problems.length ? 'half' : 'whole', problems, bill: b };
}

/** The sending of bill `billId` under `key`: 'prepared' (nothing), 'sent' (first transaction only) or 'acknowledged'. */
async function sendState(billId, key) {
  const [s] = await rig.q(
    `select b.status, b.bill_no, b.ifmis_ref, w.stage, w.billed_at,
            (select count(*)::int from invoice_events e where e.invoice_id = b.invoice_id and e.action = 'bill_sent') as sent,
            (select count(*)::int from invoice_events e where e.invoice_id = b.invoice_id and e.action = 'bill_sent' and e.idempotency_key = $2) as by_key,
            (select count(*)::int from invoice_events e where e.invoice_id = b.invoice_id and e.action = 'bill_acknowledged') as acks,
            (select count(*)::int from audit_log a where a.entity = 'bill' and a.entity_id = b.id::text and a.action = 'send') as send_audits,
            (select count(*)::int from audit_log a where a.entity = 'bill' and a.entity_id = b.id::text and a.action = 'acknowledged') as ack_audits,
            (select count(*)::int from audit_log a where a.entity = 'bill' and a.entity_id = b.id::text and a.action not in ('send', 'acknowledged')) as other_audits,
            (select count(*)::int from ifmis_sandbox_bills x where x.bill_no = b.bill_no) as at_ifmis,
            (select ack_no from ifmis_sandbox_bills x where x.bill_no = b.bill_no) as ifmis_ack
       from bills b join invoice_workflow w on w.invoice_id = b.invoice_id where b.id = $1`,
    [billId, key],
  );
  const problems = [];
  if (s.other_audits !== 0) problems.push(`${s.other_audits} other audit entries on the bill`);
  if (s.at_ifmis > 1) problems.push(`IFMIS holds the bill ${s.at_ifmis} times`);
  if (s.status === 'prepared') {
    if (s.sent || s.acks || s.send_audits || s.ack_audits || s.stage !== 'approved')
      problems.push(`prepared but ${s.sent} sent events, ${s.acks} acks, ${s.send_audits}+${s.ack_audits} audits, workflow ${s.stage}`);
  } else if (s.status === 'sent') {
    if (s.sent !== 1 || s.by_key !== 1 || s.send_audits !== 1 || s.acks || s.ack_audits || s.stage !== 'approved')
      problems.push(`sent with ${s.sent} sent events (${s.by_key} under the key), ${s.send_audits} send audits, ${s.acks} acks, workflow ${s.stage}`);
  } else if (s.status === 'acknowledged') {
    if (s.sent !== 1 || s.by_key !== 1 || s.acks !== 1 || s.send_audits !== 1 || s.ack_audits !== 1)
      problems.push(`acknowledged with ${s.sent} sent events (${s.by_key} under the key), ${s.acks} acks, ${s.send_audits}/${s.ack_audits} audits`);
    if (s.stage !== 'billed' || !s.billed_at) problems.push(`acknowledged but the workflow is ${s.stage}`);
    if (!s.ifmis_ref || s.ifmis_ref !== s.ifmis_ack) problems.push(`acknowledgement ${s.ifmis_ref} is not IFMIS's ${s.ifmis_ack}`);
  } else problems.push(`bill ${s.status}`);
  return { state: problems.length ? 'half' : s.status, problems };
}

/** The ₹1 payment under `key` / `utr` on `billId`: 'none' or 'whole' (one row, its audit entry). */
async function paymentState(billId, key, utr) {
  const [s] = await rig.q(
    `select (select count(*)::int from payments where idempotency_key = $2) as by_key,
            (select count(*)::int from payments where utr = $3) as by_utr,
            (select count(*)::int from payments where bill_id = $1 and utr = $3 and amount_paise = 100) as rows,
            (select count(*)::int from audit_log where entity = 'bill' and entity_id = $1::text and action = 'payment' and after::text like '%' || $3 || '%') as audits,
            (select count(*)::int from otps where used_for = $2) as codes`,
    [billId, key, utr],
  );
  if (s.by_key === 0 && s.by_utr === 0 && s.audits === 0 && s.codes === 0) return { state: 'none' };
  const ok = s.by_key === 1 && s.by_utr === 1 && s.rows === 1 && s.audits === 1 && s.codes === 1;
  return {
    state: ok ? 'whole' : 'half',
    problems: ok ? [] : [`${s.by_key} rows for the key, ${s.by_utr} for the UTR, ${s.audits} audit entries, ${s.codes} codes used`],
  };
}

// --- One case: control, then the kill points ------------------------------------------------------

/**
 * `target(i)` (i = −1 for the control) answers `{ url, body, key, ok, observe() → {state, problems},
 * committedStates, check(first, retry) → problems }`.
 */
async function runCase(name, target) {
  const session = await rig.login(DDO);
  // The control: on a freshly started server, as every point's first attempt is.
  rig.kill();
  await rig.restart();
  const ctl = await target(-1);
  const ctlCode = await rig.stepUpCode(session, DDO);
  const c = await killPoint(rig, { send: (ms) => postKeyed(ctl.url, session, { ...ctl.body, ...ctl.codeField(ctlCode) }, ctl.key, ms), delayMs: null });
  if (c.first.status !== ctl.ok) throw new Error(`${name}: the control answered ${c.first.status} ${c.first.text}`);
  const ctlState = await ctl.observe();
  if (ctlState.problems?.length) throw new Error(`${name}: the control left ${ctlState.problems.join('; ')}`);
  await ctl.afterControl?.(c.first);
  const span = MAX_DELAY_MS ?? Math.max(20, Math.round(1.3 * c.first.ms));
  const delays = spread(POINTS, 0, span);
  const tally = { onCommit: 0, answered: 0, killedBefore: 0, killedBetween: 0, killedAfter: 0, replays: 0 };
  const caseFailures = failures.length;
  for (let i = 0; i < POINTS; i++) {
    const t = await target(i);
    const code = await rig.stepUpCode(session, DDO);
    const body = { ...t.body, ...t.codeField(code) };
    // Every third point is killed the moment its (first) COMMIT shows; the others at a delay.
    const onCommit = i % 3 === 1;
    const r = await killPoint(rig, {
      send: (ms) => postKeyed(t.url, session, body, t.key, ms),
      delayMs: onCommit ? undefined : delays[i],
      killWhen: onCommit ? t.committed : undefined,
      observe: t.observe,
    });
    const when = onCommit ? `on its commit, ${r.killedAtMs} ms` : `at ${delays[i]} ms`;
    const where = `${name} point ${i + 1} (kill ${when})`;
    if (onCommit) tally.onCommit += 1;
    for (const p of r.afterKill.problems ?? []) fail(`${where}, after the kill: ${p}`);
    if (r.first.status !== 0) tally.answered += 1;
    const k = r.afterKill.state;
    if (k === 'none' || k === 'prepared') tally.killedBefore += 1;
    else if (k === 'sent') tally.killedBetween += 1;
    else tally.killedAfter += 1;
    if (r.retry.replayed) tally.replays += 1;
    if (r.retry.status !== t.ok) fail(`${where}: the retry answered ${r.retry.status} ${r.retry.text}`);
    const after = await t.observe();
    if (after.state !== t.done) fail(`${where}: after the retry ${after.state}${after.problems?.length ? `: ${after.problems.join('; ')}` : ''}`);
    // A retry is a replay exactly when the first attempt's (first) transaction had committed.
    const committed = k !== 'none' && k !== 'prepared';
    if (r.retry.status === t.ok && r.retry.replayed !== committed) fail(`${where}: retry replayed=${r.retry.replayed} but the kill left "${k}"`);
    for (const p of t.check(r.first, r.retry)) fail(`${where}: ${p}`);
    process.stdout.write(
      `${name} ${i + 1}/${POINTS} kill ${when}: first ${r.first.status || 'no answer'}, left "${k}", retry ${r.retry.status}${r.retry.replayed ? ' (replay)' : ''}\n`,
    );
  }
  const s = {
    name,
    points: POINTS,
    range: `0–${span} ms`,
    controlMs: Math.round(c.first.ms),
    ...tally,
    failures: failures.length - caseFailures,
  };
  summaries.push(s);
  return s;
}

// --- The three actions ----------------------------------------------------------------------------

const pid = process.pid;
const codeAsOtp = (code) => ({ otp: code });
const codeAsCode = (code) => ({ code });
const billView = (b) => (b ? JSON.stringify([b.grossPaise, b.deductionsPaise, b.netPayablePaise, b.deductions, b.payees?.map((p) => p.amountPaise)]) : 'none');

async function approveCase(invoiceIds) {
  let ref = null;
  return runCase('approve', async (i) => {
    const id = invoiceIds[i + 1];
    const key = `m2-approve-${pid}-${i + 1}`;
    return {
      url: `${rig.base}/api/v1/invoices/${id}/approve`,
      body: {},
      codeField: codeAsOtp,
      key,
      ok: 200,
      done: 'whole',
      observe: () => approvalState(id, key, ref),
      committed: async () => (await rig.q(`select 1 from invoice_events where invoice_id = $1 and action = 'approve'`, [id])).length > 0,
      afterControl: async () => {
        const [b] = await rig.q(BILL_AMOUNTS, [id]);
        ref = amountsOf(b);
      },
      check(first, retry) {
        const out = [];
        if (retry.body?.workflow?.stage !== 'approved') out.push(`retry's invoice is at ${retry.body?.workflow?.stage}`);
        if (first.status === 200 && billView(first.body?.bill) !== billView(retry.body?.bill))
          out.push(`retry's bill ${billView(retry.body?.bill)} is not the first answer's ${billView(first.body?.bill)}`);
        return out;
      },
    };
  });
}

/** The prepared bills of the copies, approving (without kills) copies that have none yet. */
async function preparedBills(n) {
  const have = async () =>
    rig.q(`select b.id from bills b join invoices i on i.id = b.invoice_id where i.invoice_no like 'M2/%' and b.status = 'prepared' order by b.id`);
  let bills = await have();
  if (bills.length < n) {
    const [{ k }] = await rig.q(`select count(*)::int as k from invoices where invoice_no like 'M2/%'`);
    const ids = await cloneVerified(n - bills.length, k);
    const session = await rig.login(DDO);
    for (const [j, id] of ids.entries()) {
      const code = await rig.stepUpCode(session, DDO);
      const r = await postKeyed(`${rig.base}/api/v1/invoices/${id}/approve`, session, { otp: code }, `m2-setup-${pid}-${j}`, 30_000);
      if (r.status !== 200) throw new Error(`approving copy ${id} for the send case: ${r.status} ${r.text}`);
    }
    bills = await have();
  }
  return bills.slice(0, n).map((b) => b.id);
}

async function sendCase(billIds) {
  return runCase('send', async (i) => {
    const id = billIds[i + 1];
    const key = `m2-send-${pid}-${i + 1}`;
    return {
      url: `${rig.base}/api/v1/payments/bills/${id}/send`,
      body: {},
      codeField: codeAsCode,
      key,
      ok: 200,
      done: 'acknowledged',
      observe: () => sendState(id, key),
      committed: async () => (await rig.q(`select 1 from bills where id = $1 and status <> 'prepared'`, [id])).length > 0,
      check(first, retry) {
        const out = [];
        if (retry.body?.status !== 'acknowledged') out.push(`retry's bill is ${retry.body?.status}`);
        if (first.status === 200 && first.body?.ifmisRef !== retry.body?.ifmisRef)
          out.push(`acknowledgement ${retry.body?.ifmisRef} ≠ first ${first.body?.ifmisRef}`);
        return out;
      },
    };
  });
}

async function payCase() {
  const [bill] = await rig.q(
    `select b.id, b.net_payable_paise::bigint::text as net from bills b join invoices i on i.id = b.invoice_id where i.invoice_no = 'PAYDEMO/2' and b.status = 'acknowledged'`,
  );
  if (!bill) throw new Error('no acknowledged demo bill (PAYDEMO/2)');
  if (BigInt(bill.net) < BigInt((POINTS + 1) * 100)) throw new Error(`bill ${bill.id} pays ${bill.net} paise, fewer than ${POINTS + 1} rupees`);
  const s = await runCase('pay', async (i) => {
    const key = `m2-pay-${pid}-${i + 1}`;
    const utr = `M2K${String(i + 1).padStart(4, '0')}`;
    return {
      url: `${rig.base}/api/v1/payments`,
      body: { billId: bill.id, payeeSeq: 1, payDate: today, utr, amountPaise: 100 },
      codeField: codeAsCode,
      key,
      ok: 201,
      done: 'whole',
      observe: () => paymentState(bill.id, key, utr),
      committed: async () => (await rig.q(`select 1 from payments where idempotency_key = $1`, [key])).length > 0,
      check: () => [],
    };
  });
  const [tot] = await rig.q(`select count(*)::int as n, coalesce(sum(amount_paise), 0)::int as paid from payments where bill_id = $1 and utr like 'M2K%'`, [
    bill.id,
  ]);
  if (tot.n !== POINTS + 1 || tot.paid !== (POINTS + 1) * 100) fail(`pay: expected ${POINTS + 1} payments of ₹1, found ${tot.n} paying ${tot.paid} paise`);
  return s;
}

try {
  rig = await Rig.start();
  console.log(`app healthy in ${(rig.firstReadyMs / 1000).toFixed(1)} s (demo data seeded); cases ${CASES.join(', ')}, ${POINTS} points each`);
  if (CASES.includes('approve')) await approveCase(await cloneVerified(POINTS + 1, 0));
  if (CASES.includes('send')) await sendCase(await preparedBills(POINTS + 1));
  if (CASES.includes('pay')) await payCase();
} catch (e) {
  fail(e instanceof Error ? (e.stack ?? e.message) : String(e));
} finally {
  await rig?.stop().catch(() => {});
}
const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
for (const s of summaries)
  console.log(
    `${s.name}: ${s.points} kill points (${s.points - s.onCommit} at delays over ${s.range}, control ${s.controlMs} ms; ${s.onCommit} the moment the commit showed): ${s.killedBefore} killed before the commit, ` +
      `${s.name === 'send' ? `${s.killedBetween} between sent and acknowledged, ` : ''}${s.killedAfter} after it ` +
      `(${s.answered} first attempts answered before the kill); ${s.replays} retries replayed; failures ${s.failures}`,
  );
console.log(
  `mean restart ${(mean(rig?.restarts ?? []) / 1000).toFixed(1)} s over ${rig?.restarts.length ?? 0} restarts; total ${((Date.now() - t0) / 1000).toFixed(0)} s`,
);
if (failures.length) {
  console.error(`M2 FAILED (${failures.length}):\n${failures.join('\n')}`);
  process.exit(1);
}
console.log('M2 ok: nothing approved, sent or paid twice; nothing half-written');
