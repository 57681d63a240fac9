import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { databaseKinds } from '../../server/src/db/testing';
import { account, seedAccounts, startTestServer, type TestServer } from './helpers';

const repository = resolve(import.meta.dirname, '../..');
const node = join(repository, 'node_modules/.bin/node');
const pulseBin = join(repository, 'server/bin/pulse.js');

/** Runs the real CLI; resolves with its exit code and output once it exits. */
function runPulse(
  args: string[],
  env: Record<string, string>,
  onStdout?: (text: string, child: ReturnType<typeof spawn>) => void,
) {
  const child = spawn(node, [pulseBin, ...args], {
    cwd: repository,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    onStdout?.(stdout, child);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

describe.each(databaseKinds)('graceful shutdown on %s', (kind) => {
  let pulse: TestServer;

  beforeAll(async () => {
    pulse = await startTestServer(kind);
    await seedAccounts(pulse.database, [account(pulse.tenantId, 'acme', { domain: 'acme.example.com' })]);
  });
  afterAll(async () => {
    await pulse?.database.close();
  });

  it('finishes a request in flight, then refuses new connections', async () => {
    const body = JSON.stringify({
      snapshots: [{ domain: 'acme.example.com', day: '2026-11-19', activeUsers: 12 }],
    });
    const half = Math.floor(body.length / 2);
    const arrived = new Promise<void>((done) => pulse.server.httpServer.once('request', () => done()));
    const response = new Promise<{ status: number; text: string }>((done, fail) => {
      const outgoing = request(
        `${pulse.server.url}/api/v1/usage`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${pulse.apiKey}`,
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
          },
        },
        (incoming) => {
          let text = '';
          incoming.on('data', (chunk: Buffer) => {
            text += chunk.toString();
          });
          incoming.on('end', () => done({ status: incoming.statusCode ?? 0, text }));
        },
      );
      outgoing.on('error', fail);
      outgoing.write(body.slice(0, half));
      // The rest of the body is sent only once shutdown has begun.
      void arrived.then(() => {
        const closing = pulse.server.close();
        setImmediate(() => outgoing.end(body.slice(half)));
        return closing;
      });
    });
    await arrived;
    const answered = await response;
    expect(answered.status).toBe(200);
    expect(JSON.parse(answered.text)).toMatchObject({ accepted: 1, rejected: [] });
    await pulse.server.close();
    await expect(fetch(`${pulse.server.url}/healthz`)).rejects.toThrow();
    const stored = await pulse.database.db.selectFrom('usage_daily').select('active_users').execute();
    expect(stored).toEqual([{ active_users: 12 }]);
  });
});

// Each test starts the real CLI (tsx + PGlite): allow for a slow, busy machine.
describe('pulse serve (the CLI)', { timeout: 180_000 }, () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'pulse-serve-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('exits with code 2 and one message listing every invalid variable', async () => {
    const result = await runPulse(['serve'], {
      PORT: 'eighty',
      DATABASE_URL: 'mysql://somewhere/db',
      PULSE_ENCRYPTION_KEY: 'short',
      PULSE_SCORE_CRON: 'every hour',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Invalid environment:/);
    for (const variable of ['PORT', 'DATABASE_URL', 'PULSE_ENCRYPTION_KEY', 'PULSE_SCORE_CRON']) {
      expect(result.stderr).toContain(`- ${variable}:`);
    }
  });

  it('serves on the port given, answers the health check and stops cleanly on SIGTERM', async () => {
    let health: { status: number; body: unknown } | null = null;
    let signalled = false;
    const result = await runPulse(['serve', '--port', '0'], { PULSE_DATA_DIR: dataDir }, (stdout, child) => {
      const url = /listening on (http:\/\/localhost:\d+)/.exec(stdout)?.[1];
      if (!url || signalled) return;
      signalled = true;
      void fetch(`${url}/healthz`)
        .then(async (response) => {
          health = { status: response.status, body: await response.json() };
        })
        .finally(() => child.kill('SIGTERM'));
    });
    // On failure, show what the CLI printed (a start-up error elsewhere in the tree shows up here).
    expect(health, result.stderr).toEqual({ status: 200, body: { status: 'ok', database: 'pglite' } });
    expect(result.stdout).toContain(`database: pglite ${join(dataDir, 'db')}`);
    expect(result.stdout).toContain('SIGTERM: finishing requests in flight');
    expect(result.stdout).toContain('Pulse stopped');
    expect(result.code).toBe(0);
  });

  it('rejects an invalid --port naming the option', async () => {
    const result = await runPulse(['serve', '--port', 'abc'], { PULSE_DATA_DIR: dataDir });
    expect(result.code, result.stderr).not.toBe(0);
    expect(result.stderr).toMatch(/--port.*must be a whole number from 0 to 65535/);
  });
});
