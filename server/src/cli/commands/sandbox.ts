import type { Command } from 'commander';

/**
 * The `pulse sandbox` parent command, shared by every sandbox CRM (`pulse sandbox hubspot`,
 * `pulse sandbox salesforce`): the first module to ask creates it, the others reuse it.
 */
export function sandboxCommand(program: Command): Command {
  const existing = program.commands.find((command) => command.name() === 'sandbox');
  if (existing) return existing;
  return program.command('sandbox').description('Run a local sandbox CRM that speaks the vendor API');
}
