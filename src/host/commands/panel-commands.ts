/** Open Cluster Map, Annotate Pairs, Fine-tune…, Compare Runs, Export Model. */
import { trainingLines } from '../../engine/train/result-lines';
import * as vscode from 'vscode';
import type { CommandFactory } from './types';
import type { HostContext } from '../context';
import { pickProject, pickDataset, projectEncoder, showError, asProjectNode } from './args';
import {
  lossItems, modeChoices, epochItems, batchChoices, learningRateChoices,
  fineTuneDefaults, withDefaultFirst, defaultLearningRate, type FineTunePlan,
} from './fine-tune-plan';
import {
  builtinOnlyReason, offerVenv, rememberedRunnerKey, runnerChoices, runnerPickItems, shouldAskRunner, wizardDataShape, type RunnerChoice, type WizardDataShape,
} from './fine-tune-runner';
import { describeSkips, type SkipReport } from '../../engine/data/skip-report';
import type { RunnerName } from '../../engine/train/runners/runner';
import { describeMetrics } from '../../protocol/metric-names';

export const openClusterMap: CommandFactory = (ctx) => async (arg?: unknown) => {
  const project = await pickProject(ctx, arg);
  const dataset = project && (await pickDataset(project, arg));
  if (!project || !dataset) return;
  try {
    const { MapPanel } = await import('../panels/map/map-panel');
    const { ProjectMapSource } = await import('../sources/project-map-source');
    MapPanel.show(ctx.extension.extensionUri, new ProjectMapSource(ctx, project.dir, dataset.name, projectEncoder(ctx, project)), (m) => ctx.output.info(`[map] ${m}`));
  } catch (err) {
    await showError(ctx, 'Open Cluster Map', err);
  }
};

/** Record ids sent with the command (the cluster map's "Annotate selection"), if any. */
function selectionOf(arg: unknown): string[] | undefined {
  if (typeof arg !== 'object' || arg === null || !('selection' in arg)) return undefined;
  const ids = (arg as { selection: unknown }).selection;
  return Array.isArray(ids) && ids.every((id) => typeof id === 'string') ? ids : undefined;
}

export const annotatePairs: CommandFactory = (ctx) => async (arg?: unknown) => {
  const project = await pickProject(ctx, arg);
  const dataset = project && (await pickDataset(project, arg));
  if (!project || !dataset) return;
  try {
    const { AnnotatePanel } = await import('../panels/annotate/annotate-panel');
    const { ProjectAnnotationSource } = await import('../sources/project-annotation-source');
    const { saveSelection } = await import('../sources/annotation-selection');
    const ids = selectionOf(arg);
    const selection = ids ? await saveSelection(project.dir, dataset.name, ids) : undefined;
    const source = new ProjectAnnotationSource(ctx, project.dir, dataset.name, projectEncoder(ctx, project), project.name, selection);
    AnnotatePanel.show(ctx.extension.extensionUri, source, (m) => ctx.output.info(`[annotate] ${m}`));
  } catch (err) {
    await showError(ctx, 'Annotate Pairs', err);
  }
};

export const compareRuns: CommandFactory = (ctx) => async (arg?: unknown) => {
  const project = await pickProject(ctx, arg);
  if (!project) return;
  try {
    const { RunsPanel } = await import('../panels/runs/runs-panel');
    const { ProjectRunsSource } = await import('../sources/project-runs-source');
    RunsPanel.show(ctx.extension.extensionUri, new ProjectRunsSource(ctx, project.dir, project.name), (m) => ctx.output.info(`[runs] ${m}`));
  } catch (err) {
    await showError(ctx, 'Compare Runs', err);
  }
};

export const exportModel: CommandFactory = (ctx) => async (arg?: unknown) => {
  const project = await pickProject(ctx, arg);
  if (!project) return;
  const trained = project.runs.filter((r) => r.status === 'completed');
  if (trained.length === 0) {
    void vscode.window.showInformationMessage(`Embedding Lab: "${project.name}" has no finished run to export; run Fine-tune… first.`);
    return;
  }
  const node = asProjectNode(arg);
  const fromTree = node?.kind === 'run' ? trained.find((r) => r.id === node.key) : undefined;
  const run =
    fromTree ??
    (
      await vscode.window.showQuickPick(
        [...trained].reverse().map((r) => ({ label: r.id, description: [r.kind, r.metric].filter(Boolean).join(' · '), run: r })),
        { title: 'Embedding Lab: Export Model — which run', ignoreFocusOut: true },
      )
    )?.run;
  if (!run) return;
  const folders = await vscode.window.showOpenDialog({
    title: `Export ${run.id} into…`,
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    openLabel: 'Export here',
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  const target = folders?.[0]?.fsPath;
  if (!target) return;
  try {
    const result = await ctx.jobs.run(`Export model ${run.id}`, { type: 'exportModel', params: { projectDir: project.dir, runId: run.id, target } });
    if (!result) return;
    const what = result.layout === 'sentence-transformers' ? 'a sentence-transformers model folder' : 'a run folder (base encoder + trained head); use it as a local model folder encoder';
    ctx.output.info(`exported ${run.id} to ${result.dir}: ${result.files} files, ${(result.bytes / 1e6).toFixed(2)} MB (${result.layout})`);
    void vscode.window.showInformationMessage(`Embedding Lab: exported ${run.id} to ${result.dir} — ${what}.`);
  } catch (err) {
    await showError(ctx, 'Export Model', err);
  }
};

/**
 * Asks for a fine-tune plan with quick picks; undefined when the user backs out. The six steps
 * ignore focus-out, so a panel that takes focus (a webview loading its next pair) does not
 * silently drop the wizard half-way.
 */
async function askFineTunePlan(ctx: HostContext, arg: unknown): Promise<FineTunePlan | undefined> {
  const project = await pickProject(ctx, arg);
  if (!project) return undefined;
  const d = fineTuneDefaults(ctx.config());
  const data = await vscode.window.showQuickPick(
    [
      { label: 'Annotated pairs', description: `${project.annotations} pairs in annotations.jsonl`, id: 'annotations' },
      ...project.datasets.map((ds) => ({ label: ds.name, description: `${ds.records ?? '?'} records, ${ds.labelled ?? 0} labelled (pairs from labels, map labels included)`, id: ds.name })),
    ],
    { title: 'Fine-tune (1/6): training data', ignoreFocusOut: true },
  );
  if (!data) return undefined;
  const loss = await vscode.window.showQuickPick(
    lossItems(wizardDataShape(data.id), d),
    { title: 'Fine-tune (2/6): loss', ignoreFocusOut: true },
  );
  if (!loss) return undefined;
  const mode = await vscode.window.showQuickPick(modeChoices.map((m) => ({ label: m.label, detail: m.detail, id: m.id })), { title: 'Fine-tune (3/6): what to train', ignoreFocusOut: true });
  if (!mode) return undefined;
  const pickNumber = async (title: string, choices: number[], value: number, format: (n: number) => string = String) => {
    const item = await vscode.window.showQuickPick(
      withDefaultFirst(choices, value).map((n) => ({ label: format(n), description: n === value ? 'default' : undefined, n })),
      { title, ignoreFocusOut: true },
    );
    return item?.n;
  };
  const epochsItem = await vscode.window.showQuickPick(epochItems(d.epochs), { title: 'Fine-tune (4/6): epochs', ignoreFocusOut: true });
  if (!epochsItem) return undefined;
  const epochs = epochsItem.epochs;
  const batchSize = await pickNumber('Fine-tune (5/6): batch size', batchChoices, d.batchSize);
  if (batchSize === undefined) return undefined;
  const learningRate = await pickNumber('Fine-tune (6/6): learning rate', learningRateChoices, defaultLearningRate(d, mode.id), (n) => n.toExponential(0));
  if (learningRate === undefined) return undefined;
  const runner = await askRunner(ctx, project.dir, mode.id, loss.id, wizardDataShape(data.id));
  if (!runner) return undefined;
  return {
    runner: runner.id,
    where: runner.where,
    rayAddress: runner.id === 'ray' ? ctx.config()['ray.address'].trim() : undefined,
    projectDir: project.dir,
    data: data.id,
    loss: loss.id,
    mode: mode.id,
    epochs,
    batchSize,
    learningRate,
    baseEncoder: project.encoder ?? ctx.config().defaultEncoder,
  };
}

/**
 * Where the fine-tune runs: asked only when more than one runner can train it (the python
 * runner needs a Python with sentence-transformers, the ray runner a configured address);
 * the project's last choice is offered first and remembered. Undefined when the user backs out.
 */
async function askRunner(ctx: HostContext, projectDir: string, mode: FineTunePlan['mode'], loss: FineTunePlan['loss'], shape: WizardDataShape): Promise<RunnerChoice | undefined> {
  const builtinOnly = builtinOnlyReason(mode, loss, shape);
  if (builtinOnly) {
    if (mode === 'full') ctx.output.info(`fine-tune runs on the built-in runner: ${builtinOnly}`);
    return runnerChoices({ engineHasRay: false }, mode, loss, shape)[0];
  }
  const { runnerAvailability } = await import('./python-setup');
  const available = await runnerAvailability(ctx);
  const choices = runnerChoices(available, mode, loss, shape);
  if (!shouldAskRunner(choices)) {
    if (offerVenv(available, mode, loss, shape))
      ctx.output.info('a full fine-tune runs on the built-in runner; with Python and sentence-transformers it is several times faster: "Embedding Lab: Set Up Python for Fine-tuning…" creates that environment (asking first)');
    return choices[0];
  }
  const key = rememberedRunnerKey(projectDir);
  const picked = await vscode.window.showQuickPick(runnerPickItems(choices, ctx.extension.workspaceState.get<string>(key)), { title: 'Fine-tune: where to run', ignoreFocusOut: true });
  if (!picked) return undefined;
  await ctx.extension.workspaceState.update(key, picked.choice.id);
  return picked.choice;
}

/** "; 3 rows skipped (first: line 4: …)" for the notification, or "" when no row was skipped. */
function skippedNote(report: SkipReport | undefined): string {
  const text = describeSkips(report);
  return text ? `; ${text}` : '';
}

/** The run's name (given, or the readable default), for messages; the id if it cannot be read. */
async function runDisplayName(projectDir: string, id: string): Promise<string> {
  const { findRun } = await import('../../engine/train/runs');
  const { runLabels } = await import('../../engine/train/run-meta');
  return findRun(projectDir, id).then(runLabels).then((l) => l.name, () => id);
}

export const fineTune: CommandFactory = (ctx) => async (arg?: unknown) => {
  try {
    const plan = await askFineTunePlan(ctx, arg);
    if (!plan) return;
    ctx.output.info(`fine-tune plan: ${JSON.stringify(plan)}`);
    const runner = plan.runner ?? 'builtin';
    ctx.output.info(`fine-tune runs on the ${runner} runner: ${plan.where ?? 'this machine'}`);
    if (runner !== 'builtin') ctx.output.show(true);
    // The run's curves grow in the project's Compare Runs panel, when it is open, as it trains.
    const { RunsPanel } = await import('../panels/runs/runs-panel');
    const { liveRunFeed } = await import('../panels/runs/live-run-feed');
    const live = liveRunFeed(async () => RunsPanel.get(plan.projectDir)?.pushRunningRuns());
    const result = await ctx.jobs.run(`Fine-tune (${plan.loss}, ${plan.mode}, ${runner})`, {
      type: 'train',
      params: {
        projectDir: plan.projectDir,
        data: plan.data,
        loss: plan.loss,
        minScore: fineTuneDefaults(ctx.config()).mnrMinScore,
        mode: plan.mode,
        epochs: plan.epochs === 'auto' ? undefined : plan.epochs,
        batchSize: plan.batchSize,
        lr: plan.learningRate,
        encoder: plan.baseEncoder,
        seed: ctx.config()['cluster.seed'],
        cacheDir: ctx.cacheDir(),
        ...(plan.data === 'annotations' && ctx.config()['train.llmWeakLabels'] ? { llmWeakLabels: true } : {}),
        // (RunnerName has 'ray' once the engine has the ray runner; the wizard offers it only then.)
        runner: runner as RunnerName,
        python: runner === 'builtin' ? undefined : ctx.config().python.trim() || undefined,
        rayAddress: plan.rayAddress,
        rayStorage: runner === 'ray' ? ctx.config()['ray.storage'].trim() || undefined : undefined,
      },
    }, {
      // The runner's own log lines (and warnings such as an automatic mini-batch) stream to the output channel.
      onProgress: (p) => {
        if ((p.stage === 'log' || p.stage === 'warning') && p.message) ctx.output.info(`[${runner}] ${p.message}`);
        live.onProgress(p);
      },
    }).finally(async () => {
      // The run's final state (completed, cancelled, failed) replaces its live rows.
      await live.close();
      RunsPanel.get(plan.projectDir)?.notify('runsChanged', {});
    });
    ctx.refreshProjects();
    if (!result) return;
    for (const line of trainingLines(result)) ctx.output.info(`fine-tune: ${line}`);
    const runName = await runDisplayName(plan.projectDir, result.id);
    const choice = await vscode.window.showInformationMessage(
      `Embedding Lab: run "${runName}" ${result.status} in ${(result.durationMs / 1000).toFixed(1)} s — before: ${describeMetrics(result.before)}; after: ${describeMetrics(result.after)}${skippedNote(result.skipped?.train)}.${trainingLines(result).map((l) => ' ' + l.replace(/^note\s+/, '') + '.').join('')}`,
      'Compare Runs',
    );
    if (choice) await vscode.commands.executeCommand('embeddingLab.compareRuns', { kind: 'project', projectDir: plan.projectDir, label: '' });
  } catch (err) {
    await showError(ctx, 'Fine-tune', err);
  }
};
