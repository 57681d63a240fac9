import type { Command } from 'commander';

import { ApiKeyError, createApiKey, listApiKeys, revokeApiKey } from '../../api-keys/api-keys';
import { parseEnv } from '../../env';
import { withDatabaseFromEnv } from '../../server';

export function registerApiKeysCommand(program: Command): void {
  const apiKeys = program.command('api-keys').description('API keys for machine callers (usage ingest)');

  apiKeys
    .command('create')
    .description('Create a key for a tenant; the key is printed once and cannot be shown again')
    .requiredOption('--tenant <id>', 'tenant the key acts for')
    .requiredOption('--label <label>', 'what the key is for, e.g. "product usage export"')
    .action(async (options: { tenant: string; label: string }) => {
      await withDatabaseFromEnv(parseEnv(process.env), async ({ db }) => {
        try {
          const { key, apiKey } = await createApiKey(db, { tenantId: options.tenant, label: options.label });
          console.log(`Created ${apiKey.id} for tenant ${apiKey.tenantId} (${apiKey.label}).`);
          console.log('Store this key now; Pulse keeps only its hash and cannot show it again:');
          console.log(key);
        } catch (error) {
          if (error instanceof ApiKeyError) throw new Error(`cannot create key: ${error.message}`);
          throw error;
        }
      });
    });

  apiKeys
    .command('list')
    .description('List keys (never the secrets): id, tenant, label, created, last used, revoked')
    .option('--tenant <id>', 'only this tenant')
    .action(async (options: { tenant?: string }) => {
      await withDatabaseFromEnv(parseEnv(process.env), async ({ db }) => {
        const keys = await listApiKeys(db, options.tenant);
        if (keys.length === 0) {
          console.log('No API keys.');
          return;
        }
        const day = (date: Date | null) => (date ? date.toISOString().slice(0, 16).replace('T', ' ') : '-');
        const rows = [
          ['ID', 'TENANT', 'LABEL', 'CREATED', 'LAST USED', 'STATUS'],
          ...keys.map((key) => [
            key.id,
            key.tenantId,
            key.label,
            day(key.createdAt),
            day(key.lastUsedAt),
            key.revokedAt ? `revoked ${day(key.revokedAt)}` : 'active',
          ]),
        ];
        const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
        for (const row of rows)
          console.log(row.map((cell, column) => cell.padEnd(widths[column]!)).join('  '));
      });
    });

  apiKeys
    .command('revoke')
    .description('Revoke a key at once; requests using it get 401 from then on')
    .argument('<id>', 'key id, as shown by `pulse api-keys list`')
    .action(async (id: string) => {
      await withDatabaseFromEnv(parseEnv(process.env), async ({ db }) => {
        if (!(await revokeApiKey(db, id, new Date()))) {
          throw new Error(`no active API key "${id}" (see pulse api-keys list)`);
        }
        console.log(`Revoked ${id}.`);
      });
    });
}
