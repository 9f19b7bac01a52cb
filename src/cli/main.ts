import { parseArgs, formatHelp, UsageError } from './args';
import { commands } from './commands/index';
import type { CommandContext } from './command';
import { isCancelledError } from '../engine/util/job';
import { escapeControls } from './terminal-text';
import { debugFromEnv } from '../engine/env';
import { askOnTerminal } from './confirm';

function topLevelHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 8) + 2;
  return [
    'Usage: embedlab <command> [options]',
    '',
    'Embedding Lab, headless: import, clean, embed, cluster, evaluate, search and fine-tune.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Run `embedlab <command> --help` for the options of a command.',
  ].join('\n');
}

/** Where the CLI writes: the process streams, or buffers in tests. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Encoder providers to use instead of the registry (tests inject their own). */
  encoderProviders?: CommandContext['encoderProviders'];
  /** A yes/no question to the user (the process's terminal, when it has one). */
  confirm?: CommandContext['confirm'];
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  confirm: process.stdin.isTTY && process.stderr.isTTY ? askOnTerminal : undefined,
};

/**
 * Runs one `embedlab` invocation; resolves to the exit code (0 ok, 1 error, 2 usage, 130 cancelled).
 * Everything written, to stdout and stderr, has its control characters escaped (terminal-text.ts).
 */
export async function main(argv: string[], rawIo: CliIo = processIo): Promise<number> {
  const io: CliIo = { stdout: (text) => rawIo.stdout(escapeControls(text)), stderr: (text) => rawIo.stderr(escapeControls(text)) };
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(topLevelHelp() + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.stdout('0.1.0\n');
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`embedlab: unknown command "${name}"\n\n${topLevelHelp()}\n`);
    return 2;
  }
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const args = parseArgs(rest, command.options);
    if (args.help) {
      io.stdout(formatHelp(command.usage, command.summary, command.options) + '\n');
      return 0;
    }
    const ctx: CommandContext = {
      args,
      log: (line) => io.stderr(line + '\n'),
      stdout: (text) => io.stdout(text.endsWith('\n') ? text : text + '\n'),
      signal: controller.signal,
      encoderProviders: rawIo.encoderProviders,
      confirm: rawIo.confirm,
    };
    return await command.run(ctx);
  } catch (err) {
    // After Ctrl-C, whatever the interrupted work threw (a CancelledError, or a raw AbortError
    // from fetch or a stream that saw the signal first) is a cancel, not a failure.
    if (isCancelledError(err) || controller.signal.aborted) {
      io.stderr('embedlab: cancelled\n');
      return 130;
    }
    const e = err as Error;
    io.stderr(`embedlab ${name}: ${e.message}\n`);
    if (err instanceof UsageError) io.stderr(`Run \`embedlab ${name} --help\` for usage.\n`);
    else if (debugFromEnv() && e.stack) io.stderr(e.stack + '\n');
    return err instanceof UsageError ? 2 : 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

if (require.main === module || process.argv[1]?.endsWith('embedlab.js') || process.argv[1]?.endsWith('embedlab')) {
  let settled = false;
  let interrupted = false;
  process.on('SIGINT', () => {
    // The first Ctrl-C cancels the command cleanly (see main); a second one quits at once.
    if (interrupted) process.exit(130);
    interrupted = true;
  });
  // A command whose promise never settles would otherwise let node exit with code 0 once its
  // event loop is empty, which a script would read as success.
  process.on('beforeExit', () => {
    if (settled) return;
    settled = true;
    process.stderr.write(interrupted ? 'embedlab: cancelled\n' : 'embedlab: internal error: the command stopped before it finished\n');
    process.exitCode = interrupted ? 130 : 1;
  });
  main(process.argv.slice(2)).then(
    (code) => {
      settled = true;
      process.exitCode = code;
    },
    (err) => {
      settled = true;
      process.stderr.write(escapeControls(String(err?.stack ?? err)) + '\n');
      process.exitCode = 1;
    },
  );
}
