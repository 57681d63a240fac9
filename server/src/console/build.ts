import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { defaultConsoleDist } from './static';

/**
 * Builds the console with Vite's API (the same as `npm run build:console`), so `npm start` on a
 * fresh clone serves it without a separate step. Vite is a dev dependency: imported only here.
 */
export const consoleRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../console');

export async function buildConsole(outDir: string = defaultConsoleDist): Promise<string> {
  const { build } = await import('vite');
  await build({
    configFile: join(consoleRoot, 'vite.config.ts'),
    root: consoleRoot,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}

/** Builds once when console/dist has no index.html; a failure is reported, not fatal (the API still runs). */
export async function ensureConsoleBuilt(log: (line: string) => void = console.log): Promise<void> {
  if (existsSync(join(defaultConsoleDist, 'index.html'))) return;
  log('Building the web console (first start)…');
  try {
    await buildConsole();
    log('  console built into console/dist');
  } catch (error) {
    log(
      `  could not build the console (${error instanceof Error ? error.message : String(error)}); run npm run build:console`,
    );
  }
}

/**
 * `npm start` (the demo): builds the console when missing and, when no bootstrap admin is
 * configured, makes one up for this run with a random password, printed once.
 */
export async function prepareConsoleForDemo(
  env: { PULSE_ADMIN_EMAIL?: string | undefined; PULSE_ADMIN_PASSWORD?: string | undefined },
  log: (line: string) => void = console.log,
): Promise<void> {
  await ensureConsoleBuilt(log);
  if (env.PULSE_ADMIN_EMAIL && env.PULSE_ADMIN_PASSWORD) {
    log(`Web console: sign in as ${env.PULSE_ADMIN_EMAIL} (PULSE_ADMIN_PASSWORD)`);
    return;
  }
  env.PULSE_ADMIN_EMAIL = 'admin@pulse.local';
  env.PULSE_ADMIN_PASSWORD = randomBytes(9).toString('base64url');
  log(`Web console: sign in as ${env.PULSE_ADMIN_EMAIL} / ${env.PULSE_ADMIN_PASSWORD}`);
  log('  (set PULSE_ADMIN_EMAIL and PULSE_ADMIN_PASSWORD in .env to choose your own)');
}
