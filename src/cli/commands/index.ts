import type { CliCommand } from '../command';

/** Every `embedlab` subcommand, in the order `embedlab --help` lists them. */
export const commands: CliCommand[] = [];
