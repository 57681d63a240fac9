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
