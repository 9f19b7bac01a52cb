import type { CliCommand } from '../command';
import { embeddingOptions, encoderParamsFrom, fileAndTemplate, templateOption } from '../embed-texts';
import { jobContextFor } from '../job-context';
import { UsageError } from '../args';
import { evalTopkJob } from '../../engine/jobs/eval-jobs';
import { EVAL_TOPK_DEFAULTS } from '../../engine/defaults';

/** `embedlab eval-topk <file> --text … --label …`: Kern AI's top-k same-label score. */
export const evalTopkCommand: CliCommand = {
  name: 'eval-topk',
  summary: 'Share of each record’s k nearest neighbours (cosine) that carry its label, averaged (Kern AI top-k)',
  usage: 'embedlab eval-topk <file> --text "<template>" --label <field> [--k 25] [--sample N] [--encoder builtin|<folder>|<hub id>|<url>|run:<id>] [--project <dir>] [--seed N] [--json]',
  options: [
    templateOption,
    { name: 'label', kind: 'string', description: 'the field holding the label' },
    { name: 'k', kind: 'number', description: 'neighbours per record', default: EVAL_TOPK_DEFAULTS.k },
    { name: 'sample', kind: 'number', description: 'score this many random records (default: all)' },
    ...embeddingOptions,
  ],
  async run(ctx) {
    const { file, template } = fileAndTemplate(ctx);
    const o = ctx.args.options;
    const label = o.label;
    if (typeof label !== 'string') throw new UsageError('missing --label <field>');
    const k = Number(o.k);
    if (!Number.isInteger(k) || k < 1) throw new UsageError(`--k must be a positive integer, got ${k}`);
    const sample = o.sample === undefined ? undefined : Number(o.sample);
    if (sample !== undefined && (!Number.isInteger(sample) || sample < 1)) throw new UsageError(`--sample must be a positive integer`);
    const result = await evalTopkJob({ file, template, label, k, sample, ...encoderParamsFrom(ctx) }, jobContextFor(ctx));
    if (o.json) ctx.stdout(JSON.stringify(result));
    else ctx.stdout(`top-${result.k} same label: ${result.topk.toFixed(4)} (n=${result.n}, ${result.encoder})`);
    return 0;
  },
};
