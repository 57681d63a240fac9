import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { DatabaseHandle, DatabaseKind } from '../../server/src/db/connection';
import { createTestDatabase } from '../../server/src/db/testing';
import { parseEnv } from '../../server/src/env';
import { recomputeTenant } from '../../server/src/scoring/recompute';
import { type RunningServer, startServer } from '../../server/src/server';
import { loadDemoPortfolio } from '../../server/src/store/demo-data';

/** A real Pulse server on a free port with a demo portfolio, scored, and the bootstrap admin. */

export const ADMIN_EMAIL = 'admin@pulse.test';
export const ADMIN_PASSWORD = 'correct-horse-battery';

export interface ConsoleHarness {
  server: RunningServer;
  database: DatabaseHandle;
  tenantId: string;
  close(): Promise<void>;
}

export async function startConsoleHarness(
  kind: DatabaseKind = 'pglite',
  accounts = 200,
): Promise<ConsoleHarness> {
  const database = await createTestDatabase(kind);
  const env = parseEnv({
    NODE_ENV: 'test',
    PORT: '0',
    PULSE_DATA_DIR: mkdtempSync(join(tmpdir(), 'pulse-console-')),
    PULSE_ADMIN_EMAIL: ADMIN_EMAIL,
    PULSE_ADMIN_PASSWORD: ADMIN_PASSWORD,
  });
  const server = await startServer({
    env,
    database,
    scheduler: false,
    host: '127.0.0.1',
    log: () => undefined,
  });
  const { tenantId } = await loadDemoPortfolio(server.context, { accounts, seed: 7, usageDays: 120 });
  // Four weekly scorings, so trends, history charts and the week's movers have something to show.
  const now = server.context.now().getTime();
  for (const weeksAgo of [3, 2, 1, 0]) {
    await recomputeTenant(server.context, tenantId, { now: new Date(now - weeksAgo * 7 * 86_400_000) });
  }
  return {
    server,
    database,
    tenantId,
    async close() {
      await server.close();
      await database.close();
    },
  };
}

/** A cookie-keeping HTTP client that behaves like the console's fetch wrapper (or not, when told). */
export class Client {
  private cookies = new Map<string, string>();
  csrfToken: string | null = null;

  constructor(private readonly baseUrl: string) {}

  async request(
    method: string,
    path: string,
    body?: unknown,
    options: { csrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; body: any; headers: Headers }> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (options.csrf !== false && this.csrfToken && method !== 'GET')
      headers['x-csrf-token'] = this.csrfToken;
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = pair!.split('=');
      if (value === '' || /Expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name!);
      else this.cookies.set(name!, value!);
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: response.status, body: parsed, headers: response.headers };
  }

  async signIn(email: string, password: string) {
    const result = await this.request('POST', '/api/v1/auth/login', { email, password });
    if (result.status === 200) this.csrfToken = result.body.csrfToken;
    return result;
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }
}
