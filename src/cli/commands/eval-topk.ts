import { progressPrinter } from '../progress';
import type { CliCommand } from '../command';
import { embeddingOptions, fileAndTemplate, loadFileTexts, templateOption, withEmbeddedTexts } from '../embed-texts';
import { UsageError } from '../args';
import { topkSameLabel } from '../../engine/metrics';
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
    const label = ctx.args.options.label;
    if (typeof label !== 'string') throw new UsageError('missing --label <field>');
    const k = Number(ctx.args.options.k);
    if (!Number.isInteger(k) || k < 1) throw new UsageError(`--k must be a positive integer, got ${k}`);
    const sample = ctx.args.options.sample === undefined ? undefined : Number(ctx.args.options.sample);
    if (sample !== undefined && (!Number.isInteger(sample) || sample < 1)) throw new UsageError(`--sample must be a positive integer`);
    const seed = Number(ctx.args.options.seed);
    const started = performance.now();
    const loaded = await loadFileTexts(ctx, file, template, label);
    if (loaded.texts.length < 2) throw new UsageError(`needs at least 2 records, found ${loaded.texts.length}`);
    const onProgress = progressPrinter(ctx);
    return withEmbeddedTexts(ctx, loaded.texts, { onProgress }, (x, encoder) => {
      const effectiveK = Math.min(k, loaded.texts.length - 1);
      const topk = topkSameLabel(x, loaded.labels!, { k: effectiveK, sample, seed });
      const result = {
        topk: Number(topk.toFixed(6)),
        k: effectiveK,
        n: loaded.texts.length,
        sampled: sample !== undefined ? Math.min(sample, loaded.texts.length) : loaded.texts.length,
        encoder: encoder.id,
        skipped: loaded.skipped.length,
        seconds: Number(((performance.now() - started) / 1000).toFixed(3)),
      };
      if (ctx.args.options.json) ctx.stdout(JSON.stringify(result));
      else ctx.stdout(`top-${effectiveK} same label: ${result.topk.toFixed(4)} (n=${result.n}, ${encoder.id})`);
      return 0;
    });
  },
};
