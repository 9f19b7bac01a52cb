import { progressPrinter } from '../progress';
import type { CliCommand } from '../command';
import { encoderOption, jsonOption, projectOption, seedOption } from '../command';
import { encoderContextFor } from '../encoder-context';
import { UsageError } from '../args';
import { readRecords } from '../../engine/data/read-records';
import { resolveEncoder } from '../../engine/encoders/resolve';
import { InputError } from '../../engine/util/errors';
import { scoredPairCorrelations, undefinedCorrelationReason } from '../../engine/metrics';
import { fieldNumber } from '../../engine/data/field-values';

interface ScoredPair {
  text1: string;
  text2: string;
  score: number;
}

/** Reads `text1`, `text2`, `score` (0–1) records; any bad pair is an error naming its line. */
async function readPairs(file: string, signal: AbortSignal): Promise<ScoredPair[]> {
  const pairs: ScoredPair[] = [];
  for await (const rec of readRecords(file, {
    signal,
    onSkip: (s) => {
      throw new InputError(s.reason, { file, line: s.line });
    },
  })) {
    for (const field of ['text1', 'text2'] as const) {
      const v = rec.fields[field];
      if (typeof v !== 'string' || v.trim() === '') throw new InputError('missing or empty text', { file, line: rec.line, field });
    }
    const score = fieldNumber(rec.fields.score, { file, line: rec.line, field: 'score' });
    if (score < 0 || score > 1) throw new InputError(`score ${score} is outside 0–1`, { file, line: rec.line, field: 'score' });
    pairs.push({ text1: String(rec.fields.text1), text2: String(rec.fields.text2), score });
  }
  if (pairs.length < 2) throw new InputError(`needs at least 2 scored pairs, found ${pairs.length}`, { file });
  return pairs;
}

/** `embedlab eval-sts <pairs.jsonl>`: Spearman/Pearson of cosine similarity against gold scores. */
export const evalStsCommand: CliCommand = {
  name: 'eval-sts',
  summary: 'Score an encoder on text pairs: Spearman and Pearson of the cosine similarity against "score" (0–1)',
  usage: 'embedlab eval-sts <pairs.jsonl|csv> [--encoder builtin|<folder>|<hub id>|<url>|run:<id>] [--project <dir>] [--seed N] [--json]',
  options: [encoderOption, projectOption, seedOption, jsonOption],
  async run(ctx) {
    const [file] = ctx.args.positionals;
    if (!file) throw new UsageError('missing the pairs file (fields text1, text2, score)');
    const started = performance.now();
    const pairs = await readPairs(file, ctx.signal);
    const onProgress = progressPrinter(ctx);
    const texts1 = pairs.map((p) => p.text1);
    const texts2 = pairs.map((p) => p.text2);
    const encoder = await resolveEncoder(String(ctx.args.options.encoder ?? 'builtin'), encoderContextFor(ctx, [...texts1, ...texts2], onProgress));
    try {
      const a = await encoder.encode(texts1, { signal: ctx.signal, onProgress });
      const b = await encoder.encode(texts2, { signal: ctx.signal, onProgress });
      const sims = new Float64Array(pairs.length);
      for (let i = 0; i < pairs.length; i++) {
        let ab = 0;
        let aa = 0;
        let bb = 0;
        for (let j = 0; j < a.cols; j++) {
          const x = a.data[i * a.cols + j];
          const y = b.data[i * b.cols + j];
          ab += x * y;
          aa += x * x;
          bb += y * y;
        }
        sims[i] = aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
      }
      const gold = pairs.map((p) => p.score);
      const why = undefinedCorrelationReason(sims, gold);
      if (why) throw new InputError(`Spearman and Pearson are undefined: ${why}`, { file });
      const { spearman, pearson } = scoredPairCorrelations(sims, gold);
      const result = {
        spearman: Number(spearman.toFixed(6)),
        pearson: Number(pearson.toFixed(6)),
        n: pairs.length,
        encoder: encoder.id,
        seconds: Number(((performance.now() - started) / 1000).toFixed(3)),
      };
      if (ctx.args.options.json) ctx.stdout(JSON.stringify(result));
      else ctx.stdout(`Spearman ${result.spearman.toFixed(4)}  Pearson ${result.pearson.toFixed(4)}  (n=${result.n}, ${encoder.id})`);
      return 0;
    } finally {
      await encoder.dispose();
    }
  },
};
