import type { Db } from '../../db/client.ts';
import { sandboxMessages } from '../outbox/outbox.table.ts';

/** A delivery failure; `permanent` failures are not retried (e.g. a number on the DND list). */
export class DeliveryError extends Error {
  constructor(
    readonly providerCode: string,
    readonly permanent: boolean,
  ) {
    super(`delivery failed: ${providerCode}`);
  }
}

export type SmsAdapter = { send(to: string, body: string): Promise<{ providerId: string }> };
export type EmailAdapter = { send(to: string, subject: string, body: string): Promise<{ providerId: string }> };

/**
 * The sandbox SMS gateway: "delivers" into `sandbox_messages`, which the developer outbox page
 * shows. It fails like the real gateway does: numbers starting 600000 are refused permanently
 * (code DND), and `failRate` (0–1) makes a share of sends fail transiently (code GW_TIMEOUT).
 */
export function sandboxSms(db: Db, opts: { failRate?: number; random?: () => number } = {}): SmsAdapter {
  const random = opts.random ?? Math.random;
  return {
    async send(to, body) {
      if (!/^[6-9][0-9]{9}$/.test(to)) throw new DeliveryError('INVALID_NUMBER', true);
      if (to.startsWith('600000')) throw new DeliveryError('DND', true);
      if ((opts.failRate ?? 0) > 0 && random() < (opts.failRate ?? 0)) throw new DeliveryError('GW_TIMEOUT', false);
      const [row] = await db.insert(sandboxMessages).values({ channel: 'sms', recipient: to, body }).returning({ id: sandboxMessages.id });
      return { providerId: `sandbox-${row?.id}` };
    },
  };
}

export function sandboxEmail(db: Db): EmailAdapter {
  return {
    async send(to, subject, body) {
      if (!to.includes('@')) throw new DeliveryError('INVALID_ADDRESS', true);
      const [row] = await db
        .insert(sandboxMessages)
        .values({ channel: 'email', recipient: to, body: `${subject}\n\n${body}` })
        .returning({ id: sandboxMessages.id });
      return { providerId: `sandbox-${row?.id}` };
    },
  };
}

/** A generic HTTP SMS gateway (production): POST {to, body} with a bearer token. */
export function httpSms(url: string, token: string): SmsAdapter {
  return {
    async send(to, body) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ to, body }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) throw new DeliveryError(`HTTP_${res.status}`, res.status >= 400 && res.status < 500);
      const data = (await res.json().catch(() => ({}))) as { id?: string };
      return { providerId: data.id ?? '' };
    },
  };
}
