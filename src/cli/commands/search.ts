import { progressPrinter } from '../progress';
import type { CliCommand } from '../command';
import { embeddingOptions, fileAndTemplate, loadFileTexts, templateOption, withEmbeddedTexts } from '../embed-texts';
import { UsageError } from '../args';
import { createVectorIndex, searchRecord, searchText } from '../../engine/search/index';
import { DEFAULT_SEED, SEARCH_DEFAULTS } from '../../engine/defaults';

/** `embedlab search`: the records most similar to a query text or to a record id. */
export const searchCommand: CliCommand = {
  name: 'search',
  summary: 'Find the records most similar to a free-text query (or to a record, with --id)',
  usage: 'embedlab search <file> --text "<template>" (--query "<text>" | --id <record id>) [--k 10] [--encoder builtin|<folder>|<hub id>|<url>|run:<id>] [--project <dir>] [--json]',
  options: [
    templateOption,
    { name: 'query', kind: 'string', description: 'free text to search for' },
    { name: 'id', kind: 'string', description: 'id of a record whose neighbours to list' },
    { name: 'k', kind: 'number', description: 'results', default: SEARCH_DEFAULTS.k },
    ...embeddingOptions,
  ],
  async run(ctx) {
    const { file, template } = fileAndTemplate(ctx);
    const o = ctx.args.options;
    const query = typeof o.query === 'string' ? o.query : undefined;
    const id = typeof o.id === 'string' ? o.id : undefined;
    if ((query === undefined) === (id === undefined)) throw new UsageError('give exactly one of --query "<text>" or --id <record id>');
    const k = Number(o.k ?? SEARCH_DEFAULTS.k);
    if (!Number.isInteger(k) || k < 1) throw new UsageError(`--k must be a positive integer, got "${String(o.k)}"`);
    const started = performance.now();
    const onProgress = progressPrinter(ctx);
    const loaded = await loadFileTexts(ctx, file, template);
    const seed = Number(o.seed ?? DEFAULT_SEED);
    return withEmbeddedTexts(ctx, loaded.texts, { role: 'passage', onProgress }, async (x, encoder) => {
      const index = await createVectorIndex(x, { seed, signal: ctx.signal });
      let hits;
      if (id !== undefined) {
        const row = loaded.ids.indexOf(id);
        if (row < 0) throw new UsageError(`${file}: no record with id "${id}"`);
        hits = searchRecord(index, row, k);
      } else hits = await searchText(index, encoder, query!, k, { signal: ctx.signal });
      const results = hits.map((h) => ({ id: loaded.ids[h.index], score: Number(h.score.toFixed(6)), text: loaded.texts[h.index] }));
      const seconds = Number(((performance.now() - started) / 1000).toFixed(3));
      if (o.json) ctx.stdout(JSON.stringify({ query: query ?? null, id: id ?? null, k, n: loaded.texts.length, approximate: index.approximate, encoder: encoder.id, skipped: loaded.skipped.length, seconds, results }));
      else for (const r of results) ctx.stdout(`${r.score.toFixed(3)}  ${r.id}  ${r.text.slice(0, 100)}`);
      return 0;
    });
  },
};
