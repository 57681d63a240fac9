import type { Command } from 'commander';

import { registerApiKeysCommand } from './api-keys';
import { registerDemoDataCommand } from './demo-data';
import { registerRenewalsCommand } from './renewals';
import { registerSandboxHubSpotCommand } from './sandbox-hubspot';
import { registerSandboxSalesforceCommand } from './sandbox-salesforce';
import { registerScoreCommand } from './score';
import { registerServeCommand } from './serve';
import { registerStartCommand } from './start';
import { registerSyncCommand } from './sync';
import { registerUsageCommand } from './usage';

export type CommandModule = (program: Command) => void;

/** Every CLI command module. One line per feature module. */
export const commandModules: CommandModule[] = [
  registerServeCommand,
  registerUsageCommand,
  registerApiKeysCommand,
  registerSandboxHubSpotCommand,
  registerSandboxSalesforceCommand,
  registerRenewalsCommand,
  registerSyncCommand,
  registerStartCommand,
  registerScoreCommand,
  registerDemoDataCommand,
];
