import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.ts';
import type { TLocale } from '../../../shared/locales/index.ts';
import { DeliveryError, type EmailAdapter, type SmsAdapter } from '../adapters/sms.ts';
import { translator } from '../i18n/i18n.ts';
import { outbox } from './outbox.table.ts';

export type OutboxMessage = {
  channel: 'sms' | 'email';
  recipient: string;
  /** Translation key, e.g. `auth.sms.reset_otp`. */
  template: string;
  params: Record<string, string | number>;
  locale: TLocale;
};

/** Queue a message in the caller's transaction: it goes out only if the change commits. */
export async function enqueueMessage(tx: DbOrTx, m: OutboxMessage): Promise<void> {
  await tx.insert(outbox).values(m);
}

const MAX_ATTEMPTS = 8;
const LEASE_SECONDS = 60;

type Claimed = {
  id: number;
  channel: 'sms' | 'email';
  recipient: string;
  template: string;
  params: Record<string, string | number>;
  locale: TLocale;
  attempts: number;
};

/**
 * Delivers due messages once. Rows are claimed with FOR UPDATE SKIP LOCKED and leased for a
 * minute, so several app instances never send one message twice, and a crash mid-send only
 * delays it (the lease runs out and another worker retries). Parameters are wiped after
 * delivery so one-time codes do not stay in the database.
 */
export async function deliverDueMessages(db: Db, adapters: { sms: SmsAdapter; email: EmailAdapter }, batch = 20): Promise<number> {
  const claimed = await db.execute<Claimed>(sql`
    UPDATE outbox SET locked_until = now() + make_interval(secs => ${LEASE_SECONDS}), attempts = attempts + 1
    WHERE id IN (
      SELECT id FROM outbox
      WHERE status = 'pending' AND next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now())
      ORDER BY id LIMIT ${batch} FOR UPDATE SKIP LOCKED)
    RETURNING id, channel, recipient, template, params, locale, attempts`);
  for (const m of claimed.rows) {
    const t = translator(m.locale);
    const body = t(m.template, m.params);
    try {
      if (m.channel === 'sms') await adapters.sms.send(m.recipient, body);
      else await adapters.email.send(m.recipient, t('common.appFullName'), body);
      await db.execute(
        sql`UPDATE outbox SET status = 'sent', sent_at = now(), locked_until = NULL, params = '{}'::jsonb, last_error = NULL WHERE id = ${m.id}`,
      );
    } catch (e) {
      const code = e instanceof DeliveryError ? e.providerCode : 'ERROR';
      const permanent = (e instanceof DeliveryError && e.permanent) || m.attempts >= MAX_ATTEMPTS;
      // Back-off: 10 s, 20 s, 40 s … capped at one hour.
      const delay = Math.min(3600, 10 * 2 ** (m.attempts - 1));
      await db.execute(sql`
        UPDATE outbox SET locked_until = NULL, last_error = ${code},
          status = ${permanent ? 'failed' : 'pending'},
          params = CASE WHEN ${permanent} THEN '{}'::jsonb ELSE params END,
          next_attempt_at = now() + make_interval(secs => ${delay})
        WHERE id = ${m.id}`);
    }
  }
  return claimed.rows.length;
}

/** Polls the outbox every `intervalMs` until stopped. */
export function startOutboxWorker(db: Db, adapters: { sms: SmsAdapter; email: EmailAdapter }, intervalMs = 1000) {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const tick = async () => {
    if (stopped) return;
    running = deliverDueMessages(db, adapters).catch(() => 0);
    await running;
    if (!stopped) timer = setTimeout(tick, intervalMs);
  };
  let timer = setTimeout(tick, intervalMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
