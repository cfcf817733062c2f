import { translator } from './platform/i18n/i18n.ts';

type TBannerInput = {
  url: string;
  database: string;
  readySeconds: number;
  /** Absent: no demo data, so no logins to list. */
  demo?: { password: string; users: readonly { username: string; role: string }[] } | undefined;
};

/**
 * The lines `npm start` prints once the server listens. Roles are named in words from the English
 * catalog (`common.roles.*`), as the README's table names them: an operator reading the console
 * does not know the role codes.
 */
export function startBanner(b: TBannerInput): string {
  const t = translator('en');
  const lines = [`\nROAMS is running at ${b.url}  (database: ${b.database}, ready in ${b.readySeconds.toFixed(1)} s)`];
  if (b.demo) {
    lines.push('The interface opens in Hindi; the language switch (English) is at the top right.');
    lines.push(`Demo logins (password: ${b.demo.password}):`);
    for (const u of b.demo.users) lines.push(`  ${u.username.padEnd(18)} ${t(`common.roles.${u.role}`)}`);
    lines.push(`Sandbox SMS (one-time codes): ${b.url}/dev/outbox`, `API docs: ${b.url}/api/docs\n`);
  }
  return lines.join('\n');
}
