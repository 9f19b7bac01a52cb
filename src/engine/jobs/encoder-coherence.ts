/**
 * The mean LLM-judged coherence of the clusters that an encoder (a fine-tuned run's, say) gives a
 * project's datasets, from the saved clusterings and topics.json: what Compare Runs shows beside
 * NMI and silhouette, marked "LLM-judged" with the model. Nothing is asked of a model here.
 */
import { listClusterings, loadClustering, recordsHash } from '../project/cluster-cache';
import { openProject, datasetPath } from '../project/store';
import { readDatasetFile } from '../project/dataset-file';
import { readTopicStore, type ClusterJudgmentEntry } from '../project/topic-store';
import { clusterMembers } from './cluster-members';

export interface EncoderCoherence {
  /** Mean coherence (1–5) over the judged clusters. */
  mean: number;
  judged: number;
  clusters: number;
  /** The models that judged them. */
  models: string[];
}

export async function encoderCoherence(projectDir: string, encoderSpec: string): Promise<EncoderCoherence | undefined> {
  const project = await openProject(projectDir);
  const { store } = await readTopicStore(project.paths.topics).catch(() => ({ store: undefined }));
  if (!store || store.judgments.length === 0) return undefined;
  const newest = new Map<string, ClusterJudgmentEntry>();
  for (const j of store.judgments) {
    const seen = newest.get(j.membersHash);
    if (!seen || j.createdAt >= seen.createdAt) newest.set(j.membersHash, j);
  }
  const scores: number[] = [];
  const models = new Set<string>();
  let clusters = 0;
  for (const dataset of project.config.datasets) {
    const saved = (await listClusterings(projectDir, dataset.name)).filter((c) => c.header.encoderSpec === encoderSpec);
    for (const { file } of saved) {
      const clustering = (await loadClustering(file)).clustering;
      if (!clustering) continue;
      const records = await readDatasetFile(datasetPath(project, dataset)).catch(() => undefined);
      if (!records || recordsHash(records) !== clustering.header.recordsHash) continue;
      for (const c of clusterMembers(records, clustering)) {
        clusters++;
        const j = newest.get(c.hash);
        if (!j) continue;
        scores.push(j.coherence);
        models.add(j.model);
      }
    }
  }
  if (!scores.length) return undefined;
  return { mean: scores.reduce((a, b) => a + b, 0) / scores.length, judged: scores.length, clusters, models: [...models].sort() };
}
