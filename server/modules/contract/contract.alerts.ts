import { claimAlert } from '../../platform/outbox/alerts.ts';
import { ENDING_THRESHOLDS } from '../../../shared/contracts/contract.ts';
import { formatDate, todayIst } from '../../../shared/domain/dates.ts';
import type { TLocale } from '../../../shared/locales/index.ts';
import type { Db } from '../../db/client.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import type { JobSpec } from '../../platform/jobs/jobs.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.service.ts';
import { agencyParties, sendLicenceAlerts } from '../agency/index.ts';
import { officeManagers } from '../users/index.ts';
import * as alertsRepo from './contract.alerts.repo.ts';
import { daysBetween, endingThreshold } from './contract.rules.ts';

const SYSTEM = { actor: null, ip: '' };

/** Active contracts whose in-force version ended before today become 'expired' (audited as the system). */
export async function expireContracts(db: Db, now: Date): Promise<number> {
  const today = todayIst(now);
  let n = 0;
  for (const c of await alertsRepo.contractsPastEnd(db, today)) {
    const done = await db.transaction(async (tx) => {
      if (!(await alertsRepo.markExpired(tx, c.id, now))) return false;
      await recordAudit(tx, SYSTEM, {
        entity: 'contract',
        entityId: c.id,
        action: 'expire',
        departmentId: c.department_id,
        before: { status: 'active' },
        after: { status: 'expired', endDate: c.end_date },
      });
      return true;
    });
    if (done) n += 1;
  }
  return n;
}

/**
 * "Contract ending" alerts at 90, 60 and 30 days before the in-force end date, to both sides:
 * an SMS to the agency's mobile (and an e-mail to its address), an SMS to every department
 * manager of the contracting office (and an e-mail to the official e-mail of the assignment when
 * there is one). Each (contract, end date, threshold) goes out once — `sent_alerts` is claimed in
 * the same transaction as the outbox rows, so two app instances never send it twice, and an
 * extension (a new end date) alerts afresh. Returns how many contracts were alerted.
 */
export async function sendContractEndingAlerts(db: Db, now: Date): Promise<number> {
  const today = todayIst(now);
  const horizon = Math.max(...ENDING_THRESHOLDS);
  let n = 0;
  const ending = await alertsRepo.endingContracts(db, today, horizon);
  const parties = new Map(
    (
      await agencyParties(
        db,
        ending.map((c) => c.agency_id),
      )
    ).map((a) => [a.id, a]),
  );
  for (const c of ending) {
    const threshold = endingThreshold(c.end_date, today);
    const agency = parties.get(c.agency_id);
    if (threshold === null || !agency) continue;
    const days = daysBetween(today, c.end_date);
    const sent = await db.transaction(async (tx) => {
      if (!(await claimAlert(tx, { kind: `contract_ending_${threshold}`, entity: 'contract', entityId: c.id, aboutDate: c.end_date, at: now }))) return false;
      const params = (locale: TLocale) => ({
        contractNo: c.contract_no,
        agency: agency.legalName,
        office: `${locale === 'hi' ? c.office_name_hi : c.office_name_en} (${c.office_id})`,
        endDate: formatDate(c.end_date),
        days,
      });
      // Agencies have no language setting: Hindi, the portal's default.
      await enqueueMessage(tx, { channel: 'sms', recipient: agency.mobile, template: 'common.alerts.contract_ending_sms', params: params('hi'), locale: 'hi' });
      if (agency.email)
        await enqueueMessage(tx, {
          channel: 'email',
          recipient: agency.email,
          template: 'common.alerts.contract_ending_email',
          params: params('hi'),
          locale: 'hi',
        });
      for (const m of await officeManagers(tx, c.office_id)) {
        await enqueueMessage(tx, {
          channel: 'sms',
          recipient: m.mobile,
          template: 'common.alerts.contract_ending_sms',
          params: params(m.locale),
          locale: m.locale,
        });
        if (m.officialEmail)
          await enqueueMessage(tx, {
            channel: 'email',
            recipient: m.officialEmail,
            template: 'common.alerts.contract_ending_email',
            params: params(m.locale),
            locale: m.locale,
          });
      }
      await recordAudit(tx, SYSTEM, {
        entity: 'contract',
        entityId: c.id,
        action: 'alert_sent',
        departmentId: c.department_id,
        after: { kind: `contract_ending_${threshold}`, endDate: c.end_date, days },
      });
      return true;
    });
    if (sent) n += 1;
  }
  return n;
}

export type DailyResult = { expired: number; contractAlerts: number; licenceAlerts: number };

/** The daily job: mark expired contracts, then contract-ending alerts, then the agency licence alerts. */
export async function runDailyAlerts(db: Db, now: Date): Promise<DailyResult> {
  const expired = await expireContracts(db, now);
  const contractAlerts = await sendContractEndingAlerts(db, now);
  const licenceAlerts = await sendLicenceAlerts(db, now);
  return { expired, contractAlerts, licenceAlerts };
}

/**
 * The daily job as a scheduled job: once per 6-hour slot across all instances (claimed through
 * the database, server/platform/jobs/jobs.ts), so a restart or a failed run never loses a day.
 * Safe to run again: each alert is claimed once (claimAlert), expiry only moves active contracts.
 */
export const dailyAlertsJob: JobSpec = {
  name: 'contract.daily_alerts',
  everyMs: 6 * 3600_000,
  run: ({ db, now }) => runDailyAlerts(db, now),
};
