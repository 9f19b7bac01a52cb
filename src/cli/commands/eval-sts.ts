import type { CliCommand } from '../command';
import { encoderOption, jsonOption, projectOption, seedOption } from '../command';
import { encoderParamsFrom } from '../embed-texts';
import { jobContextFor } from '../job-context';
import { UsageError } from '../args';
import { evalStsJob } from '../../engine/jobs/eval-jobs';

/** `embedlab eval-sts <pairs.jsonl>`: Spearman/Pearson of cosine similarity against gold scores. */
export const evalStsCommand: CliCommand = {
  name: 'eval-sts',
  summary: 'Score an encoder on text pairs: Spearman and Pearson of the cosine similarity against "score" (0–1)',
  usage: 'embedlab eval-sts <pairs.jsonl|csv> [--encoder builtin|<folder>|<hub id>|<url>|run:<id>] [--project <dir>] [--seed N] [--json]',
  options: [encoderOption, projectOption, seedOption, jsonOption],
  async run(ctx) {
    const [file] = ctx.args.positionals;
    if (!file) throw new UsageError('missing the pairs file (fields text1, text2, score)');
    const result = await evalStsJob({ file, ...encoderParamsFrom(ctx) }, jobContextFor(ctx));
    if (ctx.args.options.json) ctx.stdout(JSON.stringify(result));
    else ctx.stdout(`Spearman ${result.spearman.toFixed(4)}  Pearson ${result.pearson.toFixed(4)}  (n=${result.n}, ${result.encoder})`);
    return 0;
  },
};
