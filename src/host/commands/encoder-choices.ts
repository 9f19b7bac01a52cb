/**
 * Readable names for encoder specs and the quick-pick choices built on them: which encoder
 * (or fine-tuned run) Find Similar searches with, which saved clustering Export Clusters writes.
 * Pure (no `vscode`): the commands and the tests share it. Titles never show hashes or full paths.
 */
import type { ClusteringHeader } from '../../engine/project/cluster-cache';
import type { ProjectSummary, RunSummary } from '../project/summary';

/** "Built-in (TF-IDF/LSA)", a run's name, a model folder's name, a Hub id, an endpoint's host. */
export function encoderDisplayName(spec: string, runs: readonly Pick<RunSummary, 'id' | 'name'>[] = []): string {
  const s = spec.trim();
  if (s === 'builtin') return 'Built-in (TF-IDF/LSA)';
  if (s.startsWith('builtin:')) return `Built-in (${baseName(s.slice('builtin:'.length))})`;
  if (s.startsWith('run:')) {
    const id = s.slice('run:'.length);
    const run = runs.find((r) => r.id === id);
    return run?.name ? `${run.name} (fine-tuned run)` : `run ${id} (fine-tuned)`;
  }
  if (/^https?:\/\//i.test(s)) {
    try {
      return `endpoint ${new URL(s).host}`;
    } catch {
      return 'endpoint';
    }
  }
  if (s.includes('/') || s.includes('\\')) return /^[\w.-]+\/[\w.-]+$/.test(s) ? s : baseName(s);
  return s;
}

function baseName(p: string): string {
  const parts = p.split(/[\\/]+/).filter(Boolean);
  return parts[parts.length - 1] ?? p;
}

export interface EncoderChoice {
  spec: string;
  label: string;
  description?: string;
}

/** The project's encoder first ("project encoder"), then its other encoders, then its completed runs (newest first). */
export function encoderChoices(project: Pick<ProjectSummary, 'encoders' | 'runs'>, current: string): EncoderChoice[] {
  const runs = project.runs;
  const completed = runs.filter((r) => r.status === 'completed').sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
  const specs = [current, ...project.encoders.filter((e) => !e.startsWith('run:')), ...completed.map((r) => `run:${r.id}`)];
  const seen = new Set<string>();
  const out: EncoderChoice[] = [];
  for (const spec of specs) {
    if (seen.has(spec)) continue;
    seen.add(spec);
    const run = spec.startsWith('run:') ? runs.find((r) => `run:${r.id}` === spec) : undefined;
    const notes = [spec === current ? 'project encoder' : '', run?.metric ?? ''].filter(Boolean);
    out.push({ spec, label: encoderDisplayName(spec, runs), ...(notes.length ? { description: notes.join(' · ') } : {}) });
  }
  return out;
}

export interface ClusteringChoice extends EncoderChoice {
  /** True when nothing is saved yet for this encoder (the export clusters first). */
  unsaved: boolean;
}

/**
 * One choice per saved clustering of the dataset (one per encoder: a run's clustering is its "after" map),
 * newest first, with how it was made; the project encoder is offered even before it was clustered, and
 * so is each completed fine-tuned run (newest first, after the saved ones: the export clusters it first).
 */
export function clusteringChoices(
  saved: readonly Pick<ClusteringHeader, 'encoderSpec' | 'settings' | 'clusters' | 'createdAt' | 'metrics'>[],
  current: string,
  runs: readonly Pick<RunSummary, 'id' | 'name' | 'status' | 'createdAt'>[] = [],
): ClusteringChoice[] {
  const newest = [...saved].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const out: ClusteringChoice[] = [];
  const seen = new Set<string>();
  for (const h of newest) {
    if (seen.has(h.encoderSpec)) continue;
    seen.add(h.encoderSpec);
    const how = h.settings.algo === 'kmeans' ? 'k-means' : 'HDBSCAN';
    const notes = [`${h.clusters.length} clusters (${how})`, h.metrics ? `NMI ${h.metrics.nmi.toFixed(2)}` : '', h.encoderSpec === current ? 'project encoder' : '', h.createdAt.slice(0, 16).replace('T', ' ')];
    out.push({ spec: h.encoderSpec, label: encoderDisplayName(h.encoderSpec, runs), description: notes.filter(Boolean).join(' · '), unsaved: false });
  }
  if (!seen.has(current)) out.unshift({ spec: current, label: encoderDisplayName(current, runs), description: 'project encoder · not clustered yet (clusters first)', unsaved: true });
  else out.sort((a, b) => Number(b.spec === current) - Number(a.spec === current));
  const unclustered = runs
    .filter((r) => r.status === 'completed' && !seen.has(`run:${r.id}`) && `run:${r.id}` !== current)
    .sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
  for (const r of unclustered)
    out.push({ spec: `run:${r.id}`, label: encoderDisplayName(`run:${r.id}`, runs), description: 'fine-tuned run · not clustered yet (clusters first)', unsaved: true });
  return out;
}

/**
 * Where Find Similar's embeddings came from, for the log: "reused the search index of an
 * earlier search (no text embedded)", or "300 texts from the project's embedding cache, 0
 * embedded now". Undefined when the engine did not say (a data file: embedded for the request).
 */
export function describeSimilarEmbeddings(e: { reused: boolean; hits: number; embedded: number } | undefined): string | undefined {
  if (!e) return undefined;
  if (e.reused) return 'reused the search index of an earlier search (no text embedded)';
  return `${e.hits} text${e.hits === 1 ? '' : 's'} from the project's embedding cache, ${e.embedded} embedded now`;
}
