import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from './client.ts';

/**
 * Issue 11, finding 3: the embedded database (PGlite, no authentication: whoever connects is
 * superuser) listened on a 127.0.0.1 TCP port any local user could reach. It now listens only
 * on a Unix socket in a directory of mode 0700; no TCP port is open, and another local user
 * cannot connect.
 *
 * engine: PGlite only — the embedded database opened here (scripts/lib/engine-files.mjs).
 */

/** TCP ports this process listens on (its socket inodes in LISTEN state, IPv4 and IPv6). */
function listeningTcpPorts(): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      /* closed meanwhile */
    }
  }
  const ports: number[] = [];
  for (const file of ['/proc/self/net/tcp', '/proc/self/net/tcp6']) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[3] === '0A' && inodes.has(f[9] ?? '')) ports.push(Number.parseInt(f[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

describe('the embedded database is closed to other users', () => {
  let d: Database;
  let socketDir: string;
  beforeAll(async () => {
    d = await openDatabase({ dataDir: null });
    socketDir = String((d.pool as unknown as { options: { host: string } }).options.host);
  }, 180_000);
  afterAll(async () => {
    await d?.close();
  });

  it('opens no TCP port', async () => {
    expect((await d.pool.query('select 1 as x')).rows).toEqual([{ x: 1 }]);
    expect(listeningTcpPorts()).toEqual([]);
  });

  it('listens on a Unix socket in a directory only this user may enter', () => {
    expect(path.isAbsolute(socketDir)).toBe(true);
    const dir = statSync(socketDir);
    expect(dir.mode & 0o777).toBe(0o700);
    expect(dir.uid).toBe(process.getuid?.());
    const sock = statSync(path.join(socketDir, '.s.PGSQL.5432'));
    expect(sock.isSocket()).toBe(true);
    expect(sock.mode & 0o077).toBe(0);
  });

  it.runIf(process.getuid?.() === 0)('refuses a connection from another local user (nobody)', () => {
    const probe = `require('net').connect(${JSON.stringify(path.join(socketDir, '.s.PGSQL.5432'))}).on('connect', () => { console.log('CONNECTED'); process.exit(0); }).on('error', (e) => { console.log(e.code); process.exit(0); });`;
    const r = spawnSync(process.execPath, ['-e', probe], { uid: 65534, gid: 65534, encoding: 'utf8', timeout: 20_000, cwd: '/' });
    expect(r.stdout.trim()).toBe('EACCES');
  });

  it('removes the socket directory on close', async () => {
    const other = await openDatabase({ dataDir: null });
    const dir = String((other.pool as unknown as { options: { host: string } }).options.host);
    expect(existsSync(dir)).toBe(true);
    await other.close();
    expect(existsSync(dir)).toBe(false);
  }, 60_000);
});

describe('the demo HTTP server', () => {
  it('binds to localhost in demo mode unless HOST is set', async () => {
    const { loadConfig } = await import('../config.ts');
    expect(loadConfig({ ROAMS_MODE: 'demo' }).HOST).toBe('127.0.0.1');
    expect(loadConfig({}).HOST).toBe('127.0.0.1');
    expect(loadConfig({ ROAMS_MODE: 'demo', HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
    expect(loadConfig({ ROAMS_MODE: 'test' }).HOST).toBe('0.0.0.0');
  });
});
