/**
 * The host's implementation of the annotation panel's data source: pairs from the
 * `suggestPairs` engine job, scores appended at once to the project's annotations.jsonl
 * (append-only, flushed per entry, by the project store), progress and agreement.
 * With a selection (sent from the cluster map), pairs are drawn from those records only.
 */
import * as os from 'node:os';
import { promises as fs } from 'node:fs';
import type { HostContext } from '../context';
import type { AnnotationSource, SaveResult } from '../panels/annotate/annotation-source';
import type { AnnotateSession, GuidelinesView, PairStrategy, PairView, ProjectFileKind, RubricAnchor, PairAgreement, SessionAgreement } from '../../protocol/annotate';
import type { AnnotationEntry } from '../../engine/project/annotations';
import type { ReviewPage, ReviewQuery } from '../../protocol/annotate-review';
import { DEFAULT_RUBRIC } from '../../protocol/annotate';
import { openProject, datasetPath, projectPaths, type Project } from '../../engine/project/store';
import { readDatasetFile } from '../../engine/project/dataset-file';
import { readGuidelines, ensureGuidelines, GUIDELINES_FILE } from '../../engine/project/guidelines';
import * as path from 'node:path';
import { annotatorAgreement } from '../../engine/annotate/agreement';
import { reviewAnnotations } from '../../engine/annotate/review';
import { toPairView } from './annotation-pair-view';
import { DEFAULT_RUBRIC as PROJECT_DEFAULT_RUBRIC } from '../../engine/project/schema';
import { appendAnnotation, readAnnotations, currentAnnotations, pairKey } from '../../engine/project/annotations';
import { annotateRestoreKey, type RecordSelection } from './annotation-selection';
import type { ActiveLoopStatus } from '../../protocol/active-loop';

const STRATEGY_KEY = 'embeddingLab.annotateStrategy';
const TARGET = 100;

export function annotatorName(ctx: HostContext): string {
  const configured = ctx.config().annotator.trim();
  if (configured) return configured;
  try {
    return os.userInfo().username || 'annotator';
  } catch {
    return 'annotator';
  }
}

/**
 * The project's rubric as the panel shows it: an anchor the project left as created gets the
 * panel's short label and its description ("Broad topic" — "Same broad topic or region.");
 * an edited anchor shows the project's own text.
 */
export function panelRubric(levels: readonly { score: number; label: string; description?: string }[]): RubricAnchor[] {
  return levels.map((r) => {
    const unedited = PROJECT_DEFAULT_RUBRIC.some((d) => d.score === r.score && d.label === r.label);
    const known = DEFAULT_RUBRIC.find((d) => d.score === r.score);
    if (unedited && known && r.description === undefined) return { ...known };
    return { score: r.score, label: unedited && known ? known.label : r.label, description: r.description ?? '' };
  });
}

/** Krippendorff's alpha and the pairs with two annotators or more, for the toolbar; undefined when there are none. */
export function sessionAgreement(entries: readonly AnnotationEntry[]): SessionAgreement | undefined {
  const r = annotatorAgreement(entries);
  if (!r.pairs) return undefined;
  return { pairs: r.pairs, annotators: r.annotators.length, meanAbsDiff: r.meanAbsDiff ?? 0, ...(r.alpha !== undefined ? { alpha: r.alpha } : {}) };
}

export class ProjectAnnotationSource implements AnnotationSource {
  readonly title: string;
  readonly restoreKey: string;

  constructor(
    private readonly ctx: HostContext,
    private readonly projectDir: string,
    private readonly dataset: string,
    private readonly encoder: string,
    projectName: string,
    /** Records selected on the map: pairs come from these only. */
    private readonly selection?: RecordSelection,
  ) {
    this.title = `${projectName} · ${dataset}${selection ? ` · selection of ${selection.ids.length.toLocaleString('en-US')}` : ''}`;
    this.restoreKey = annotateRestoreKey(projectDir, dataset, selection);
  }

  get sessionFiles(): readonly string[] {
    return [path.join(this.projectDir, GUIDELINES_FILE), projectPaths(this.projectDir).projectFile];
  }

  async projectFile(kind: ProjectFileKind): Promise<string> {
    if (kind === 'rubric') return projectPaths(this.projectDir).projectFile;
    const project = await openProject(this.projectDir);
    return ensureGuidelines(this.projectDir, project.config.rubric);
  }

  private get annotator(): string {
    return annotatorName(this.ctx);
  }

  private async state() {
    const project = await openProject(this.projectDir);
    const log = await readAnnotations(project.paths.annotations);
    return { project, log, file: project.paths.annotations };
  }

  private async result(id1: string, id2: string): Promise<SaveResult> {
    const { log } = await this.state();
    const mine = currentAnnotations(log.entries, { annotator: this.annotator });
    const all = currentAnnotations(log.entries);
    const pair = all.scores.get(pairKey(id1, id2));
    let agreement: PairAgreement | undefined;
    if (pair && Object.keys(pair.byAnnotator).length > 1) {
      const scores = Object.entries(pair.byAnnotator).map(([annotator, score]) => ({ annotator, score }));
      const values = scores.map((s) => s.score);
      agreement = { scores, mean: pair.score, spread: Math.max(...values) - Math.min(...values) };
    }
    const overall = sessionAgreement(log.entries);
    // every save may start a round of the active loop (it counts everyone's scored pairs)
    void this.ctx.activeLoop?.annotated(this.projectDir, this.loopTarget, all.scores.size);
    return { progress: { annotated: mine.scores.size, target: Math.max(TARGET, mine.scores.size) }, agreement, ...(overall ? { overall } : {}) };
  }

  /** What the active loop trains on for this panel: its dataset, with the project's encoder. */
  private get loopTarget() {
    return { dataset: this.dataset, encoder: this.encoder };
  }

  onActiveLoop(listener: (change: { status: ActiveLoopStatus; newRun: boolean }) => void): { dispose(): void } {
    const loop = this.ctx.activeLoop;
    if (!loop) return { dispose: () => undefined };
    return loop.onDidChange((c) => {
      if (c.projectDir === this.projectDir) listener({ status: c.status, newRun: c.newRun });
    });
  }

  async getSession(): Promise<AnnotateSession> {
    const { project, log } = await this.state();
    const rubric = panelRubric(project.config.rubric);
    const mine = currentAnnotations(log.entries, { annotator: this.annotator });
    const agreement = sessionAgreement(log.entries);
    const guidelines = await this.guidelines();
    return {
      annotator: this.annotator,
      rubric,
      strategy: this.ctx.extension.workspaceState.get<PairStrategy>(STRATEGY_KEY) ?? 'stratified',
      progress: { annotated: mine.scores.size, target: Math.max(TARGET, mine.scores.size) },
      ...(agreement ? { agreement } : {}),
      ...(guidelines ? { guidelines } : {}),
      disagreementThreshold: this.ctx.config()['annotate.disagreementThreshold'],
      ...(this.selection ? { selection: { records: this.selection.ids.length } } : {}),
      ...(this.ctx.activeLoop ? { activeLoop: await this.ctx.activeLoop.status(this.projectDir, this.loopTarget) } : {}),
    };
  }

  /** guidelines.md of the project, or why it cannot be shown. */
  private async guidelines(): Promise<GuidelinesView | undefined> {
    try {
      const g = await readGuidelines(this.projectDir);
      return g && { file: g.file, text: g.text, ...(g.truncated ? { truncated: true } : {}) };
    } catch (e) {
      return { file: GUIDELINES_FILE, text: '', problem: e instanceof Error ? e.message : String(e) };
    }
  }

  async reviewPairs(query: ReviewQuery): Promise<ReviewPage> {
    const { project, log } = await this.state();
    const texts = await this.texts(project);
    return reviewAnnotations(log.entries, (id) => texts.get(id), query);
  }

  /** Every record's text by id, across the project's datasets (kept while the files are unchanged). */
  private textCache?: { key: string; texts: Map<string, string> };
  private async texts(project: Project): Promise<Map<string, string>> {
    const files = project.config.datasets.map((d) => datasetPath(project, d));
    const stamps = await Promise.all(files.map(async (f) => {
      const s = await fs.stat(f).catch(() => undefined);
      return `${f}:${s?.mtimeMs ?? 0}:${s?.size ?? 0}`;
    }));
    const key = stamps.join('|');
    if (this.textCache?.key === key) return this.textCache.texts;
    const texts = new Map<string, string>();
    for (const f of files) {
      const records = await readDatasetFile(f);
      for (const r of records) texts.set(r.id, r.text);
    }
    this.textCache = { key, texts };
    return texts;
  }

  async nextPairs(strategy: PairStrategy, count: number): Promise<PairView[]> {
    // "Most uncertain" compares the base encoder with the active loop's latest run, once there is one
    const secondEncoder = strategy === 'uncertain' ? await this.ctx.activeLoop?.latestRun(this.projectDir, this.loopTarget) : undefined;
    const pairs = await this.ctx.jobs.run(`Suggest pairs (${strategy})`, {
      type: 'suggestPairs',
      params: {
        projectDir: this.projectDir,
        dataset: this.dataset,
        encoder: this.encoder,
        strategy,
        count,
        annotator: this.annotator,
        disagreementThreshold: this.ctx.config()['annotate.disagreementThreshold'],
        seed: this.ctx.config()['cluster.seed'],
        cacheDir: this.ctx.cacheDir(),
        ...(this.selection ? { candidates: this.selection.ids } : {}),
        // the panel keeps the hints and sends them only while the setting is on (hintsShown)
        prescoreHints: true,
        ...(secondEncoder ? { secondEncoder } : {}),
      },
    }, { notification: false });
    return (pairs ?? []).map(toPairView);
  }

  async score(id1: string, id2: string, score: number, note?: string, hintShown?: boolean): Promise<SaveResult> {
    await appendAnnotation((await this.state()).file, { id1, id2, score, annotator: this.annotator, ...(note ? { note } : {}), ...(hintShown ? { hintShown } : {}) });
    this.ctx.refreshProjects();
    return this.result(id1, id2);
  }

  async skip(id1: string, id2: string, note?: string): Promise<SaveResult> {
    await appendAnnotation((await this.state()).file, { id1, id2, skipped: true, score: null, annotator: this.annotator, ...(note ? { note } : {}) });
    return this.result(id1, id2);
  }

  async undo(id1: string, id2: string): Promise<SaveResult> {
    await appendAnnotation((await this.state()).file, { id1, id2, undo: true, score: null, annotator: this.annotator });
    this.ctx.refreshProjects();
    return this.result(id1, id2);
  }

  hintsShown(): boolean {
    return this.ctx.config()['annotate.showLlmHint'];
  }

  async setStrategy(strategy: PairStrategy): Promise<void> {
    await this.ctx.extension.workspaceState.update(STRATEGY_KEY, strategy);
  }
}
