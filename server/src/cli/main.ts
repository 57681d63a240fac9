import { Command } from 'commander';

import { EnvError } from '../env';
import { commandModules } from './commands';

const program = new Command()
  .name('pulse')
  .description('Pulse: customer-success scores that live in your CRM')
  .showHelpAfterError();

for (const register of commandModules) register(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof EnvError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(error instanceof Error ? `pulse: ${error.message}` : error);
  process.exit(1);
}
