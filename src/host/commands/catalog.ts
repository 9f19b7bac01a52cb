/**
 * Every command the extension contributes: id, title and where it shows. Pure data (no
 * `vscode` import), so the unit tests compare it with package.json and with the
 * handler table. package.json's `contributes.commands` is generated from it by
 * `scripts/sync-manifest.mjs`.
 */
export interface CommandInfo {
  id: string;
  title: string;
  /** A codicon for view title bars, e.g. "$(refresh)". */
  icon?: string;
  /** Shown in the project view's title bar. */
  viewTitle?: boolean;
  /** Hidden from the command palette (used from the tree or the status bar only). */
  paletteHidden?: boolean;
}

export const COMMAND_CATEGORY = 'Embedding Lab';

export const commandCatalog = [
  { id: 'embeddingLab.newProject', title: 'New Project', icon: '$(new-folder)', viewTitle: true },
  { id: 'embeddingLab.importData', title: 'Import Data', icon: '$(cloud-upload)' },
  { id: 'embeddingLab.cleanData', title: 'Clean Data' },
  { id: 'embeddingLab.chooseEncoder', title: 'Choose Encoder' },
  { id: 'embeddingLab.embedDataset', title: 'Embed' },
  { id: 'embeddingLab.clusterDataset', title: 'Cluster' },
  { id: 'embeddingLab.openClusterMap', title: 'Open Cluster Map' },
  { id: 'embeddingLab.annotatePairs', title: 'Annotate Pairs' },
  { id: 'embeddingLab.prescorePairs', title: 'Pre-score Pairs with LLM…' },
  { id: 'embeddingLab.llmAgreement', title: 'LLM vs Human Agreement' },
  { id: 'embeddingLab.fineTune', title: 'Fine-tune…' },
  { id: 'embeddingLab.setUpPython', title: 'Set Up Python for Fine-tuning…' },
  { id: 'embeddingLab.compareRuns', title: 'Compare Runs' },
  { id: 'embeddingLab.renameRun', title: 'Rename Run' },
  { id: 'embeddingLab.findSimilar', title: 'Find Similar' },
  { id: 'embeddingLab.exportModel', title: 'Export Model' },
  { id: 'embeddingLab.exportClusters', title: 'Export Clusters (CSV)' },
  { id: 'embeddingLab.nameTopics', title: 'Name Topics with LLM…' },
  { id: 'embeddingLab.judgeClusters', title: 'Judge Clusters with LLM…' },
  { id: 'embeddingLab.renameTopic', title: 'Rename Topic…' },
  { id: 'embeddingLab.refreshProject', title: 'Refresh Project View', icon: '$(refresh)', viewTitle: true },
  { id: 'embeddingLab.setHuggingFaceToken', title: 'Set Hugging Face Token' },
  { id: 'embeddingLab.setApiKey', title: 'Set Endpoint API Key' },
  { id: 'embeddingLab.setLlmApiKey', title: 'Set LLM API Key' },
  { id: 'embeddingLab.showLog', title: 'Show Log' },
  { id: 'embeddingLab.cancelJob', title: 'Cancel Running Job' },
  { id: 'embeddingLab.cancelActiveLoop', title: 'Cancel Active Loop Round' },
  { id: 'embeddingLab.checkEngine', title: 'Check Engine' },
] as const satisfies readonly CommandInfo[];

export type CommandId = (typeof commandCatalog)[number]['id'];

/** Command titles as shown in the palette: "Embedding Lab: New Project". */
export function paletteTitle(id: CommandId): string {
  const info = commandCatalog.find((c) => c.id === id);
  return `${COMMAND_CATEGORY}: ${info?.title ?? id}`;
}
