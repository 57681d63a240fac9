import type { Command } from 'commander';

export type CommandModule = (program: Command) => void;

/** Every CLI command module. One line per feature module. */
export const commandModules: CommandModule[] = [];
