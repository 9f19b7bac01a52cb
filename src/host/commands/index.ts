/**
 * The command table: one factory per contributed command (the ids in `catalog.ts`).
 * The mapped type makes a missing or extra handler a compile error; the unit tests
 * check the table against package.json.
 */
import * as vscode from 'vscode';
import type { HostContext } from '../context';
import type { CommandId } from './catalog';
import type { CommandFactory } from './types';
import { newProject, importData, chooseEncoder, refreshProject } from './project-commands';
import { cleanData } from './clean-commands';
import { embedDataset, clusterDataset, findSimilar, exportClusters } from './compute-commands';
import { openClusterMap, annotatePairs, fineTune, compareRuns, exportModel } from './panel-commands';
import { renameRun, setUpPython } from './run-commands';
import { setHuggingFaceToken, setApiKey, setLlmApiKey, showLog, cancelJob, cancelActiveLoop, checkEngine } from './misc-commands';
import { nameTopics, judgeClusters, renameTopic } from './llm-commands';
import { prescorePairs, llmAgreement } from './llm-prescore-commands';

export const commandTable: { readonly [K in CommandId]: CommandFactory } = {
  'embeddingLab.newProject': newProject,
  'embeddingLab.importData': importData,
  'embeddingLab.cleanData': cleanData,
  'embeddingLab.chooseEncoder': chooseEncoder,
  'embeddingLab.embedDataset': embedDataset,
  'embeddingLab.clusterDataset': clusterDataset,
  'embeddingLab.openClusterMap': openClusterMap,
  'embeddingLab.annotatePairs': annotatePairs,
  'embeddingLab.prescorePairs': prescorePairs,
  'embeddingLab.llmAgreement': llmAgreement,
  'embeddingLab.fineTune': fineTune,
  'embeddingLab.setUpPython': setUpPython,
  'embeddingLab.compareRuns': compareRuns,
  'embeddingLab.renameRun': renameRun,
  'embeddingLab.findSimilar': findSimilar,
  'embeddingLab.exportModel': exportModel,
  'embeddingLab.exportClusters': exportClusters,
  'embeddingLab.nameTopics': nameTopics,
  'embeddingLab.judgeClusters': judgeClusters,
  'embeddingLab.renameTopic': renameTopic,
  'embeddingLab.refreshProject': refreshProject,
  'embeddingLab.setHuggingFaceToken': setHuggingFaceToken,
  'embeddingLab.setApiKey': setApiKey,
  'embeddingLab.setLlmApiKey': setLlmApiKey,
  'embeddingLab.showLog': showLog,
  'embeddingLab.cancelJob': cancelJob,
  'embeddingLab.cancelActiveLoop': cancelActiveLoop,
  'embeddingLab.checkEngine': checkEngine,
};

/** Registers every command of the table. */
export function registerCommands(ctx: HostContext): vscode.Disposable[] {
  return (Object.keys(commandTable) as CommandId[]).map((id) => vscode.commands.registerCommand(id, commandTable[id](ctx)));
}
