/**
 * The main job end to end on AG News test (7,600 texts): read the file, fit the built-in encoder,
 * encode, cluster and name the topics, exactly as `embedlab cluster … --algo kmeans --k 4` does (in
 * a fresh child process, so that its peak memory is its own), against scikit-learn's
 * TfidfVectorizer → TruncatedSVD(256) → KMeans(4) on the same file in the same run, with the NMI of
 * both. Also the HDBSCAN path (--k auto with outlier
 * reassignment) and the real `embedlab cluster` command as a child process, wall clock included.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { BenchRow, BenchSection } from './types';
import { fmtRatio, fmtSeconds, SHARED_DATA } from './types';
import { runSklearnScript, sklearnLabel } from './sklearn-baseline';

const TEMPLATE = '{title}. {description}';

const SKLEARN_PIPELINE = `
import json, sys, time
t = time.perf_counter()
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.decomposition import TruncatedSVD
from sklearn.cluster import KMeans
from sklearn.preprocessing import normalize
from sklearn.metrics import normalized_mutual_info_score
imports = time.perf_counter() - t
t = time.perf_counter()
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
texts = [f"{r['title']}. {r['description']}" for r in rows]
x = TfidfVectorizer(sublinear_tf=True, min_df=2, max_df=0.5).fit_transform(texts)
z = normalize(TruncatedSVD(256, random_state=0).fit_transform(x))
labels = KMeans(4, n_init=4, random_state=0).fit_predict(z)
seconds = time.perf_counter() - t
print(json.dumps({"seconds": seconds, "imports": imports, "nmi": normalized_mutual_info_score([r['label'] for r in rows], labels)}))
`;

interface ChildResult {
  n: number;
  seconds: number;
  nmi: number;
  clusters: number;
  outliersBefore: number;
  outliersAfter: number;
  maxRssMb: number;
}

/** Our pipeline as the cluster command runs it, in a fresh process (bench/pipeline-child.ts). */
function ours(file: string, algo: 'kmeans' | 'hdbscan'): ChildResult {
  const child = path.join(__dirname, 'pipeline-child.ts');
  const r = spawnSync(process.execPath, ['--import', 'tsx', child, file, algo], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pipeline child (${algo}) failed: ${r.stderr.trim().split('\n').pop()}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult;
}

export const pipelineBench: BenchSection = {
  name: 'pipeline',
  async run() {
    const file = path.join(SHARED_DATA, 'ag_news', 'test.jsonl');
    if (!existsSync(file)) return [{ task: 'AG News pipeline', ours: '', baseline: '', ratio: '', note: 'skipped: ../shared/data/ag_news absent' }];
    const rows: BenchRow[] = [];

    const km = ours(file, 'kmeans');
    const n = km.n;
    const sk = runSklearnScript<{ seconds: number; imports: number; nmi: number }>(SKLEARN_PIPELINE, [file]);
    rows.push({
      task: `AG News ${n.toLocaleString('en')} texts: read, fit, encode, k-means k=4, topics (built-in encoder)`,
      ours: `${fmtSeconds(km.seconds)} (${Math.round(n / km.seconds).toLocaleString('en')} texts/s), NMI ${km.nmi.toFixed(3)}`,
      baseline: sk ? `${fmtSeconds(sk.seconds)}, NMI ${sk.nmi.toFixed(3)} (TF-IDF → LSA(256) → KMeans)` : '',
      ratio: sk ? fmtRatio(sk.seconds / km.seconds) : '',
      note: `peak RSS ${km.maxRssMb.toFixed(0)} MB (fresh process); ${sklearnLabel()}${sk ? `, its imports (${sk.imports.toFixed(1)} s) not counted` : ''}`,
    });

    const hd = ours(file, 'hdbscan');
    rows.push({
      task: `AG News ${n.toLocaleString('en')} texts: read, fit, encode, kNN, UMAP 5-d, HDBSCAN, reassign outliers, topics`,
      ours: `${fmtSeconds(hd.seconds)}, NMI ${hd.nmi.toFixed(3)}`,
      baseline: '',
      ratio: '',
      note: `${hd.clusters} topics; outliers ${((100 * hd.outliersBefore) / n).toFixed(1)}% → ${((100 * hd.outliersAfter) / n).toFixed(1)}% after reassignment; peak RSS ${hd.maxRssMb.toFixed(0)} MB`,
    });

    // The acceptance command itself, as a child process (start-up and JSON printing included).
    const bin = path.join(__dirname, '..', 'bin', 'embedlab.js');
    const t = performance.now();
    const cli = spawnSync(process.execPath, [bin, 'cluster', file, '--text', TEMPLATE, '--label', 'label', '--algo', 'kmeans', '--k', '4', '--json'], {
      encoding: 'utf8',
      maxBuffer: 16 << 20,
    });
    const wall = (performance.now() - t) / 1000;
    if (cli.status === 0) {
      const out = JSON.parse(cli.stdout) as { metrics: { nmi: number; ari: number; purity: number }; clusters: number };
      rows.push({
        task: '`embedlab cluster ag_news/test.jsonl --text "{title}. {description}" --label label --algo kmeans --k 4 --json` (child process)',
        ours: `${fmtSeconds(wall)} wall clock, NMI ${out.metrics.nmi.toFixed(3)}`,
        baseline: '',
        ratio: '',
        note: `ARI ${out.metrics.ari.toFixed(3)}, purity ${out.metrics.purity.toFixed(3)}; acceptance: < 60 s and NMI ≥ 0.50`,
      });
    } else rows.push({ task: 'embedlab cluster (child process)', ours: 'failed', baseline: '', ratio: '', note: cli.stderr.trim().split('\n').pop() });
    return rows;
  },
};
