import { InputError } from '../engine/util/errors';

/** One option a subcommand accepts. */
export interface OptionSpec {
  name: string; // without the dashes: "k", "batch-size"
  kind: 'string' | 'number' | 'boolean';
  description: string;
  default?: string | number | boolean;
  /** Accepted values, for `string` options with a closed set. */
  choices?: readonly string[];
  /** May be given several times; the value is then an array of strings. */
  repeatable?: boolean;
}

export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | number | boolean | string[] | undefined>;
  help: boolean;
}

export class UsageError extends InputError {
  override name = 'UsageError';
}

/** Parses `--name value`, `--name=value` and boolean `--flag` against the specs. */
export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const options: ParsedArgs['options'] = {};
  const positionals: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const spec = byName.get(name);
    if (!spec) throw new UsageError(`unknown option --${name}`);
    let raw: string | undefined;
    if (spec.kind === 'boolean') {
      raw = eq >= 0 ? arg.slice(eq + 1) : 'true';
      if (raw !== 'true' && raw !== 'false') throw new UsageError(`--${name} takes no value (or =true/=false)`);
      options[name] = raw === 'true';
      continue;
    }
    if (eq >= 0) raw = arg.slice(eq + 1);
    else {
      raw = argv[++i];
      if (raw === undefined) throw new UsageError(`--${name} needs a value`);
    }
    let value: string | number = raw;
    if (spec.kind === 'number') {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${raw}"`);
      value = n;
    }
    if (spec.choices && !spec.choices.includes(String(value))) {
      throw new UsageError(`--${name} must be one of ${spec.choices.join(', ')}; got "${raw}"`);
    }
    if (spec.repeatable) {
      const prev = options[name];
      options[name] = [...(Array.isArray(prev) ? prev : []), String(value)];
    } else options[name] = value;
  }
  for (const s of specs) if (options[s.name] === undefined && s.default !== undefined) options[s.name] = s.default;
  return { positionals, options, help };
}

export function formatHelp(usage: string, summary: string, specs: readonly OptionSpec[]): string {
  const lines = [`Usage: ${usage}`, '', summary, ''];
  if (specs.length) {
    lines.push('Options:');
    const width = Math.max(...specs.map((s) => s.name.length + (s.kind === 'boolean' ? 0 : 8))) + 4;
    for (const s of specs) {
      const left = `  --${s.name}${s.kind === 'boolean' ? '' : s.kind === 'number' ? ' <n>' : ' <value>'}`;
      const extra = [
        s.choices ? `one of ${s.choices.join('|')}` : '',
        s.default !== undefined ? `default ${String(s.default)}` : '',
      ]
        .filter(Boolean)
        .join('; ');
      lines.push(left.padEnd(width + 2) + s.description + (extra ? ` (${extra})` : ''));
    }
    lines.push('  --help'.padEnd(width + 2) + 'show this help');
  }
  return lines.join('\n');
}
