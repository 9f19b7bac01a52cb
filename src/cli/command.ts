import type { OptionSpec, ParsedArgs } from './args';
import type { EncoderProvider } from '../engine/encoders/provider';
import { DEFAULT_ENCODER, DEFAULT_SEED } from '../engine/defaults';

/** What a subcommand gets: its parsed arguments and the streams to write to. */
export interface CommandContext {
  args: ParsedArgs;
  /** Human-readable progress and messages: stderr, so stdout stays clean for --json. */
  log: (line: string) => void;
  /** The command's result: printed as one JSON object with --json, else as text. */
  stdout: (text: string) => void;
  signal: AbortSignal;
  /** The encoder providers to resolve specs with; default the registry's (tests add their own). */
  encoderProviders?: readonly EncoderProvider[];
  /** Asks a yes/no question on the terminal; absent when stdin or stderr is not a terminal. */
  confirm?: (question: string) => Promise<boolean>;
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  options: readonly OptionSpec[];
  /** Resolves to the process exit code. */
  run(ctx: CommandContext): Promise<number>;
}

/** Options many subcommands share. */
export const jsonOption: OptionSpec = { name: 'json', kind: 'boolean', description: 'print one JSON object on stdout' };
export const seedOption: OptionSpec = { name: 'seed', kind: 'number', description: 'random seed', default: DEFAULT_SEED };
export const encoderOption: OptionSpec = {
  name: 'encoder',
  kind: 'string',
  description: 'builtin | a model folder | a Hugging Face model id | an http(s) /v1/embeddings URL | run:<id>',
  default: DEFAULT_ENCODER,
};
/** The chat endpoint options of the LLM commands (topics, annotations prescore). */
export const llmOptions: readonly OptionSpec[] = [
  { name: 'llm', kind: 'string', description: 'chat endpoint: http(s)://host[:port][/v1][/chat/completions][?model=…][#model]; key from EMBEDLAB_LLM_API_KEY, else OPENAI_API_KEY' },
  { name: 'model', kind: 'string', description: 'model name sent with each request (wins over the URL\'s)' },
  { name: 'yes', kind: 'boolean', description: 'send the requests without asking' },
];
export const projectOption: OptionSpec = {
  name: 'project',
  kind: 'string',
  description: 'project folder where run:<id> encoders and saved built-in models are looked up (default: the current folder)',
};
