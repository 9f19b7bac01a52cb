/**
 * Issue 14, goal 3: English news of 5 topics (test/fixtures/news-category, a CC BY 4.0 slice of
 * the News Category Dataset). Our side is the job of `embedlab cluster … --label label --algo
 * kmeans --k 5 --seed N` for seeds 1, 2, 3, 7 and 42; the peer is scikit-learn's TF-IDF →
 * LSA(256) → KMeans(5) with its defaults and the same seeds, run in the same bench by the script
 * that stored the unit test's reference (make-sklearn-reference.py --print), when a Python with
 * scikit-learn is found.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { BenchRow } from './types';
import { fmtSeconds, timeIt } from './types';
import { findSklearnPython } from './sklearn-baseline';
import { clusterFileJob } from '../src/engine/jobs/cluster-file-job';

const DIR = path.join(__dirname, '..', 'test', 'fixtures', 'news-category');
const FILE = path.join(DIR, 'huffpost-5-topics.jsonl');
const SEEDS = [1, 2, 3, 7, 42];

interface PeerResult {
  sklearn: string;
  nmi: Record<string, number>;
  mean: number;
  meanTuned: number;
}

const mean = (xs: readonly number[]): number => xs.reduce((s, v) => s + v, 0) / xs.length;
const span = (xs: readonly number[]): string => `${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)}`;

/** One row: our NMI and the peer's over the five seeds, with their means and ranges. */
export async function englishNewsRow(): Promise<BenchRow> {
  const ours: number[] = [];
  let n = 0;
  const t = await timeIt(async () => {
    for (const seed of SEEDS) {
      const r = await clusterFileJob({ file: FILE, template: '{title}. {description}', label: 'label', algo: 'kmeans', k: 5, seed, topN: 10 }, { secrets: {} });
      ours.push(r.metrics!.nmi);
      n = r.n;
    }
  });
  const py = findSklearnPython();
  let peer: PeerResult | undefined;
  let failure = '';
  if (py) {
    const r = spawnSync(py.path, [path.join(DIR, 'make-sklearn-reference.py'), '--print'], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
    });
    if (r.status === 0) peer = JSON.parse(r.stdout.trim().split('\n').pop()!) as PeerResult;
    else failure = `scikit-learn peer failed: ${r.stderr.trim().split('\n').pop() ?? r.status}`;
  } else failure = 'no Python with scikit-learn: no peer';
  const peerNmi = peer ? SEEDS.map((s) => peer!.nmi[String(s)]) : [];
  return {
    task: `English news, 5 topics (News Category Dataset slice, ${n.toLocaleString('en')} HuffPost headlines + descriptions): \`embedlab cluster … --algo kmeans --k 5\` job, NMI over seeds ${SEEDS.join(', ')}`,
    ours: `NMI mean ${mean(ours).toFixed(3)} (${span(ours)}), ${fmtSeconds(t.seconds / SEEDS.length)} per seed`,
    baseline: peer ? `NMI mean ${peer.mean.toFixed(3)} (${span(peerNmi)}), TF-IDF → LSA(256) → KMeans(5), scikit-learn defaults` : '',
    ratio: peer ? `${(mean(ours) / peer.mean).toFixed(2)}× NMI` : '',
    note: peer
      ? `target: our mean ≥ theirs; worst seed ours ${Math.min(...ours).toFixed(3)}; scikit-learn ${peer.sklearn} (${py!.source}, 1 thread), its tuned variant (sublinear tf, min_df 2, max_df 0.5) ${peer.meanTuned.toFixed(3)}; short texts (~28 words), not BBC-length articles`
      : failure,
  };
}
