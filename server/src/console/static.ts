import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';

/**
 * Serves the built console (console/dist) at `/`, with the SPA fallback: any GET that is not an API,
 * OAuth or webhook path and not a file answers index.html so client-side routes survive a reload.
 */

export const defaultConsoleDist = resolve(dirname(fileURLToPath(import.meta.url)), '../../../console/dist');

const serverPrefixes = ['/api', '/oauth', '/webhooks', '/hubspot', '/healthz', '/__'];

export function serveConsole(app: Express, distDirectory: string): void {
  const index = join(distDirectory, 'index.html');
  app.use(express.static(distDirectory, { index: false, maxAge: '1h', immutable: false }));
  app.get(/.*/, (request, response, next) => {
    if (serverPrefixes.some((prefix) => request.path === prefix || request.path.startsWith(`${prefix}/`))) {
      return next();
    }
    if (!existsSync(index)) {
      response
        .status(503)
        .type('text/plain')
        .send('The Pulse console is not built yet. Run `npm run build:console`, then reload this page.\n');
      return;
    }
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(index);
  });
}
