import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

import { buildConsole } from '../../server/src/console/build';

/** Debian's Chromium, headless, with nothing that reaches the network on its own. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * Builds the console from the current sources into a temporary directory and points the server at
 * it (PULSE_CONSOLE_DIST is read when the routes are mounted, so call this before startServer).
 */
export async function buildConsoleForTest(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'pulse-console-dist-'));
  await buildConsole(outDir);
  process.env.PULSE_CONSOLE_DIST = outDir;
  return outDir;
}
