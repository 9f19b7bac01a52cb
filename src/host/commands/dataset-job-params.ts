/**
 * The parameters every job on a project dataset shares (encoder, seed, model cache, offline).
 * Embed, the cluster map and Find Similar build them here so they agree: with the same encoder
 * spec and seed, the engine reuses the project's saved built-in fit, its embedding cache and the
 * map's search session instead of fitting and embedding the dataset again. Pure (no `vscode`).
 */
import type { DatasetEncoderParams } from '../../engine/jobs/dataset-embeddings';
import type { SettingValues } from '../config-schema';
import { clusterDefaults } from './cluster-plan';

export function datasetJobParams(
  settings: SettingValues,
  cacheDir: string,
  target: { projectDir: string; dataset: string; encoder: string },
): Required<Pick<DatasetEncoderParams, 'projectDir' | 'dataset' | 'encoder' | 'seed' | 'cacheDir' | 'offline'>> {
  return { projectDir: target.projectDir, dataset: target.dataset, encoder: target.encoder, seed: clusterDefaults(settings).seed, cacheDir, offline: settings.offline };
}
