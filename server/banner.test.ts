import { describe, expect, it } from 'vitest';
import { startBanner } from './banner.ts';
import { loadConfig } from './config.ts';
import { DEMO_USERS } from './db/seed/demo.ts';

// Issue 12, item 7: request lines at `info` buried the start banner; the banner named role codes.
describe('the demo start', () => {
  it('logs requests at warn in demo mode unless LOG_LEVEL says otherwise; info in the other modes', () => {
    expect(loadConfig({}).LOG_LEVEL).toBe('warn');
    expect(loadConfig({ ROAMS_MODE: 'demo', LOG_LEVEL: 'debug' }).LOG_LEVEL).toBe('debug');
    expect(loadConfig({ ROAMS_MODE: 'test' }).LOG_LEVEL).toBe('info');
  });

  it('names the demo roles in words, not codes, and says where the language switch is', () => {
    const text = startBanner({ url: 'http://localhost:3000', database: 'PGlite', readySeconds: 1.2, demo: { password: 'pw', users: DEMO_USERS } });
    expect(text).toContain('http://localhost:3000');
    expect(text).toMatch(/finance_admin\s+Finance Administrator/);
    expect(text).toMatch(/dm_bhopal\s+Department Manager \(DM\)/);
    expect(text).toMatch(/auditor_state\s+Auditor/);
    expect(text).toContain('top right');
    for (const code of ['department_manager', 'treasury_officer', 'office_admin', 'pd_admin']) expect(text).not.toMatch(new RegExp(`\\s${code}$`, 'm'));
  });

  it('without demo data it prints no logins', () => {
    expect(startBanner({ url: 'http://x', database: 'PostgreSQL server', readySeconds: 1 })).not.toContain('Demo logins');
  });
});
