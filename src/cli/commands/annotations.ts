import * as os from 'node:os';
import type { CliCommand } from '../command';
import { encoderOption, jsonOption, llmOptions, seedOption } from '../command';
import { UsageError } from '../args';
import { jobContextFor } from '../job-context';
import { openProject, findDataset } from '../../engine/project/store';
import { appendAnnotation, readAnnotations, currentAnnotations } from '../../engine/project/annotations';
import { annotatorAgreement } from '../../engine/annotate/agreement';
import { SUGGEST_STRATEGIES } from '../../engine/annotate/suggest-pairs';
import { suggestRecordPairs, type PairQueueStrategy } from '../../engine/jobs/suggest-job';
import { idsInNoDataset } from '../../engine/project/record-ids';
import { isPlainDecimal } from '../../engine/data/field-values';
import { InputError } from '../../engine/util/errors';
import { ANNOTATE_DEFAULTS, SUGGEST_DEFAULTS } from '../../engine/defaults';
import { formatAgreement } from './annotations-agreement';
import { exportAnnotationsJob } from '../../engine/jobs/export-annotations-job';
import { llmAgreementAction, prescoreAction } from './annotations-llm';

const ACTIONS = ['summary', 'add', 'skip', 'undo', 'suggest', 'agreement', 'export', 'prescore', 'llm-agreement'] as const;
const QUEUES: readonly PairQueueStrategy[] = [...SUGGEST_STRATEGIES, 'disagreement'];

/** `embedlab annotations [summary|add|skip|undo|suggest|agreement|export] --project <dir>`: the pair-score log. */
export const annotationsCommand: CliCommand = {
  name: 'annotations',
  summary: 'Show, add to, or suggest pairs for the project\'s pair annotations (annotations.jsonl)',
  usage: [
    'embedlab annotations [summary] --project <dir> [--json]',
    '       embedlab annotations add <id1> <id2> <score 0–1> --project <dir> [--annotator <name>] [--note <text>]',
    '       embedlab annotations skip|undo <id1> <id2> --project <dir> [--annotator <name>]',
    '       embedlab annotations suggest --project <dir> --dataset <name> [--strategy stratified] [--count 20] [--encoder builtin] [--json]',
    '       embedlab annotations suggest --strategy disagreement --project <dir> --dataset <name> [--threshold 0.25] [--annotator <name>]',
    '       embedlab annotations agreement --project <dir> [--json]   (Krippendorff\'s alpha, interval, 0–1)',
    '       embedlab annotations export --project <dir> --out <pairs.jsonl|pairs.csv>   (latest score per pair and annotator)',
    '       embedlab annotations prescore --project <dir> --dataset <name> --llm <chat URL> [--model <name>] [--count 20] [--yes] [--json]',
    '       embedlab annotations llm-agreement --project <dir> [--model <name>] [--json]',
  ].join('\n'),
  options: [
    { name: 'project', kind: 'string', description: 'project folder' },
    { name: 'annotator', kind: 'string', description: 'who scores (default: $USER)' },
    { name: 'note', kind: 'string', description: 'a note kept with the score' },
    { name: 'dataset', kind: 'string', description: 'dataset to draw pairs from (suggest)' },
    { name: 'out', kind: 'string', description: 'file to write (export): .jsonl or .csv' },
    { name: 'strategy', kind: 'string', description: 'how to pick pairs (suggest); disagreement: pairs whose annotators differ most', choices: QUEUES, default: SUGGEST_DEFAULTS.strategy },
    { name: 'threshold', kind: 'number', description: 'disagreement: serve pairs whose scores differ by more than this', default: ANNOTATE_DEFAULTS.disagreementThreshold },
    { name: 'count', kind: 'number', description: 'pairs to suggest', default: SUGGEST_DEFAULTS.count },
    ...llmOptions,
    encoderOption,
    seedOption,
    jsonOption,
  ],
  async run(ctx) {
    const o = ctx.args.options;
    const [first, ...rest] = ctx.args.positionals;
    const action = (first ?? 'summary') as (typeof ACTIONS)[number];
    if (!ACTIONS.includes(action)) throw new UsageError(`unknown action "${first}"; use ${ACTIONS.join(', ')}`);
    if (typeof o.project !== 'string') throw new UsageError('missing --project <dir>');
    const project = await openProject(o.project);
    const file = project.paths.annotations;
    const annotator = typeof o.annotator === 'string' ? o.annotator : os.userInfo().username || 'anonymous';
    const print = (json: unknown, text: string) => ctx.stdout(o.json ? JSON.stringify(json) : text);

    if (action === 'add' || action === 'skip' || action === 'undo') {
      const need = action === 'add' ? 3 : 2;
      if (rest.length !== need) throw new UsageError(`${action} takes ${need === 3 ? '<id1> <id2> <score>' : '<id1> <id2>'}`);
      const [id1, id2, raw] = rest;
      if (action !== 'undo') {
        // An id in no dataset would be a score nobody can train on or see: refuse it now.
        const unknown = await idsInNoDataset(project, [id1, id2], { signal: ctx.signal });
        if (unknown.length) {
          const names = project.config.datasets.map((d) => d.name).join(', ') || 'none yet';
          throw new InputError(
            `no dataset of the project has the record id${unknown.length > 1 ? 's' : ''} ${unknown.map((id) => `"${id}"`).join(' and ')} (datasets: ${names}); ` +
              'use the "id" of a record in data/<dataset>.jsonl',
            { field: 'id' },
          );
        }
      }
      let score: number | null = null;
      if (action === 'add') {
        score = Number(raw);
        if (!isPlainDecimal(raw) || !(score >= 0 && score <= 1)) throw new UsageError(`the score must be a decimal number in 0–1, got "${raw}"`);
      }
      const entry = await appendAnnotation(file, {
        id1,
        id2,
        score,
        annotator,
        note: typeof o.note === 'string' ? o.note : undefined,
        skipped: action === 'skip',
        undo: action === 'undo',
      });
      print(entry, `${action} ${id1} ~ ${id2}${score !== null ? ` = ${score}` : ''} by ${annotator}`);
      return 0;
    }

    if (action === 'export') {
      if (typeof o.out !== 'string') throw new UsageError('export needs --out <file.jsonl|file.csv>');
      const r = await exportAnnotationsJob({ projectDir: project.dir, out: o.out }, jobContextFor(ctx));
      const notes = [
        ...(r.missingTexts ? [`${r.missingTexts} pair(s) name a record that is in no dataset: exported with empty texts`] : []),
        ...(r.badLines ? [`${r.badLines} unreadable line(s) of annotations.jsonl skipped (see embedlab annotations summary)`] : []),
      ];
      print(r, [`wrote ${r.pairs} pairs (${r.sharedPairs} with two annotators or more) to ${r.out}`, ...notes].join('\n'));
      return 0;
    }

    if (action === 'agreement') {
      const log = await readAnnotations(file);
      const agreement = annotatorAgreement(log.entries);
      print({ file, ...agreement }, formatAgreement(agreement).join('\n'));
      return 0;
    }
    if (action === 'prescore') return prescoreAction(ctx, project.dir, annotator);
    if (action === 'llm-agreement') return llmAgreementAction(ctx, project.dir);

    if (action === 'summary') {
      const log = await readAnnotations(file);
      const current = currentAnnotations(log.entries);
      const agreement = annotatorAgreement(log.entries);
      const summary = {
        file,
        entries: log.entries.length,
        scoredPairs: current.scores.size,
        seenPairs: current.seen.size,
        truncatedTail: log.truncatedTail,
        cutLines: log.cutLines,
        problems: log.problems,
        agreement,
      };
      const lines = [
        `${file}: ${log.entries.length} entries, ${current.scores.size} scored pairs (${current.seen.size} seen)`,
        ...(log.truncatedTail ? ['the last line was cut off (a crash while writing?) and is ignored'] : []),
        ...(log.cutLines.length ? [`${log.cutLines.length} line(s) cut off by a crash are skipped (line ${log.cutLines.slice(0, 10).join(', ')})`] : []),
        ...log.problems.slice(0, 10).map((p) => `${file}:${p.line}: ${p.reason}`),
        agreement.pairs
          ? `agreement on ${agreement.pairs} pairs scored twice or more: mean |Δ| ${agreement.meanAbsDiff?.toFixed(3)}, exact ${(100 * (agreement.exactAgreement ?? 0)).toFixed(0)}%, within one step ${(100 * (agreement.withinStep ?? 0)).toFixed(0)}%, α ${agreement.alpha?.toFixed(3) ?? 'n/a'}`
          : 'no pair has two annotators yet',
      ];
      print(summary, lines.join('\n'));
      return 0;
    }

    // suggest
    if (typeof o.dataset !== 'string') throw new UsageError('suggest needs --dataset <name>');
    const outcome = await suggestRecordPairs(
      {
        projectDir: project.dir,
        dataset: o.dataset,
        encoder: String(o.encoder ?? project.config.encoder),
        strategy: o.strategy as PairQueueStrategy,
        count: Number(o.count),
        disagreementThreshold: Number(o.threshold),
        seed: Number(o.seed),
        ...(typeof o.annotator === 'string' || o.strategy === 'disagreement' ? { annotator } : {}),
      },
      jobContextFor(ctx),
    );
    const clip = (s = '') => (s.length > 90 ? s.slice(0, 89) + '…' : s);
    if (o.strategy === 'disagreement') {
      const out = outcome.pairs.map((p) => ({ id1: p.id1, id2: p.id2, spread: p.agreement?.spread, scores: p.agreement?.scores, text1: outcome.texts[p.id1], text2: outcome.texts[p.id2] }));
      print(
        { dataset: findDataset(project, o.dataset).name, strategy: o.strategy, threshold: Number(o.threshold), annotator, pairs: out },
        out.length
          ? out.map((p) => `spread ${(p.spread ?? 0).toFixed(2)}  ${p.id1} ~ ${p.id2}  (${(p.scores ?? []).map((s) => `${s.annotator} ${s.score}`).join(', ')})\n    ${clip(p.text1)}\n    ${clip(p.text2)}`).join('\n')
          : `no pair for ${annotator} whose annotators differ by more than ${Number(o.threshold)}`,
      );
      return 0;
    }
    ctx.log(`embeddings: ${outcome.cached.hits} cached, ${outcome.cached.embedded} embedded now`);
    const out = outcome.pairs.map((p) => ({ id1: p.id1, id2: p.id2, similarity: Number((p.similarity ?? 0).toFixed(4)), text1: outcome.texts[p.id1], text2: outcome.texts[p.id2] }));
    print(
      { dataset: findDataset(project, o.dataset).name, strategy: o.strategy, encoder: outcome.encoderId, pairs: out },
      out.map((p) => `${p.similarity.toFixed(3)}  ${p.id1} ~ ${p.id2}\n    ${clip(p.text1)}\n    ${clip(p.text2)}`).join('\n'),
    );
    return 0;
  },
};
