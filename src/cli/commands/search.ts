import type { CliCommand } from '../command';
import { embeddingOptions, encoderParamsFrom, fileAndTemplate, templateOption } from '../embed-texts';
import { jobContextFor } from '../job-context';
import { UsageError } from '../args';
import { searchFileJob, UnknownRecordError } from '../../engine/jobs/search-file-job';
import { SEARCH_DEFAULTS } from '../../engine/defaults';

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
    let result;
    try {
      result = await searchFileJob({ file, template, query, id, k, ...encoderParamsFrom(ctx) }, jobContextFor(ctx));
    } catch (e) {
      // An --id that no record has is a wrong argument (exit 2), as before the job existed.
      if (e instanceof UnknownRecordError) throw new UsageError(e.message);
      throw e;
    }
    if (o.json) ctx.stdout(JSON.stringify(result));
    else for (const r of result.results) ctx.stdout(`${r.score.toFixed(3)}  ${r.id}  ${r.text.slice(0, 100)}`);
    return 0;
  },
};
