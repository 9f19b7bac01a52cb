/**
 * A saved clustering seen cluster by cluster: each cluster's members (record indices, in dataset
 * order), its members hash (the key of its LLM answers and renames in topics.json), and what the
 * user sees of it (a rename or an LLM name, a coherence).
 */
import type { DatasetRecord } from '../project/dataset-file';
import type { ClusterTopic, SavedClustering } from '../project/cluster-cache';
import { membersHash, readTopicStore, shownTopic, type ShownTopic, type TopicStore } from '../project/topic-store';

export interface ClusterMembers {
  topic: ClusterTopic;
  members: number[];
  hash: string;
}

export function clusterMembers(records: readonly DatasetRecord[], clustering: SavedClustering): ClusterMembers[] {
  const byId = new Map<number, number[]>();
  clustering.labels.forEach((c, i) => {
    if (c < 0) return;
    const list = byId.get(c);
    if (list) list.push(i);
    else byId.set(c, [i]);
  });
  return clustering.header.clusters
    .filter((t) => byId.has(t.id))
    .map((topic) => {
      const members = byId.get(topic.id)!;
      return { topic, members, hash: membersHash(members.map((i) => records[i])) };
    });
}

/** A cluster's topic with what topics.json says of it. */
export type ShownClusterTopic = ClusterTopic & ShownTopic;

/** The clustering's topics with their names and coherence from the project's topics.json. */
export async function shownClusterTopics(topicsFile: string, records: readonly DatasetRecord[], clustering: SavedClustering, store?: TopicStore): Promise<ShownClusterTopic[]> {
  const s = store ?? (await readTopicStore(topicsFile)).store;
  const hashes = new Map(clusterMembers(records, clustering).map((c) => [c.topic.id, c.hash]));
  return clustering.header.clusters.map((t) => {
    const hash = hashes.get(t.id);
    return hash ? { ...t, ...shownTopic(s, hash) } : { ...t };
  });
}
