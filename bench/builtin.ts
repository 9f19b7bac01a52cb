/**
 * The built-in encoder: fit + encode time on AG News (7,600 texts) and the NMI of k-means
 * (k=4) on its vectors, against scikit-learn's TF-IDF → LSA(256) → k-means and TF-IDF →
 * k-means, timed in the same run (Debian python3-sklearn at /usr/bin/python3, else
 * /work/refenv, else no baseline). Skipped when ../shared is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { BenchRow, BenchSection } from './types';
import { fmtRatio, fmtSeconds, timeIt, SHARED_DATA } from './types';
import { fitBuiltinEncoder } from '../src/engine/encoders/builtin';
import { kmeans } from '../src/engine/cluster/kmeans';
import { nmi, spearman } from '../src/engine/metrics';

const SKLEARN_SCRIPT = `
import json, sys, time
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.decomposition import TruncatedSVD
from sklearn.cluster import KMeans
from sklearn.preprocessing import normalize
from sklearn.metrics import normalized_mutual_info_score
rows = [json.loads(l) for l in open(sys.argv[1])]
texts = [f"{r['title']}. {r['description']}" for r in rows]
y = [r['label'] for r in rows]
t = time.perf_counter()
x = TfidfVectorizer(sublinear_tf=True, min_df=2, max_df=0.5).fit_transform(texts)
z = normalize(TruncatedSVD(256, random_state=0).fit_transform(x))
fit = time.perf_counter() - t
lsa = normalized_mutual_info_score(y, KMeans(4, n_init=4, random_state=0).fit_predict(z))
raw = normalized_mutual_info_score(y, KMeans(4, n_init=4, random_state=0).fit_predict(x))
print(json.dumps({"seconds": fit, "nmiLsa": lsa, "nmiTfidf": raw}))
`;

function findPython(): string | null {
  const candidates = ['/usr/bin/python3', '/work/refenv/bin/python'];
  for (const p of candidates) {
    if (!existsSync(p)) continue;
    if (spawnSync(p, ['-c', 'import sklearn'], { encoding: 'utf8' }).status === 0) return p;
  }
  return null;
}

export const builtinBench: BenchSection = {
  name: 'builtin',
  async run() {
    const file = path.join(SHARED_DATA, 'ag_news/test.jsonl');
    if (!existsSync(file)) return [];
    const rows: BenchRow[] = [];
    const records = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, string | number>);
    const texts = records.map((r) => `${r.title}. ${r.description}`);
    const labels = records.map((r) => String(r.label));
    const ours = await timeIt(async () => {
      const enc = await fitBuiltinEncoder(texts, { seed: 42 });
      return enc.encode(texts);
    });
    const km = await kmeans(ours.value, { k: 4, nInit: 4, seed: 42 });
    const ourNmi = nmi(labels, km.labels);
    const py = findPython();
    let baseline = '';
    let ratio = '';
    let note = `NMI k-means k=4: ours ${ourNmi.toFixed(3)}`;
    if (py) {
      const r = spawnSync(py, ['-c', SKLEARN_SCRIPT, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
      if (r.status === 0) {
        const b = JSON.parse(r.stdout.trim().split('\n').pop()!) as { seconds: number; nmiLsa: number; nmiTfidf: number };
        baseline = `scikit-learn TF-IDF→LSA(256) ${fmtSeconds(b.seconds)}`;
        ratio = fmtRatio(b.seconds / ours.seconds);
        note += `; scikit-learn TF-IDF→LSA(256) ${b.nmiLsa.toFixed(3)}, TF-IDF ${b.nmiTfidf.toFixed(3)} (${py})`;
      } else note += `; scikit-learn baseline failed: ${r.stderr.trim().split('\n').pop() ?? ''}`;
    } else note += '; no scikit-learn found, baseline skipped';
    rows.push({
      task: `built-in encoder fit + encode, AG News ${texts.length.toLocaleString('en')} texts`,
      ours: fmtSeconds(ours.seconds),
      baseline,
      ratio,
      note,
    });
    const sts = path.join(SHARED_DATA, 'stsb/test.jsonl');
    if (existsSync(sts)) {
      const pairs = readFileSync(sts, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { text1: string; text2: string; score: number });
      const t = await timeIt(async () => {
        const enc = await fitBuiltinEncoder([...pairs.map((p) => p.text1), ...pairs.map((p) => p.text2)], { seed: 42 });
        const a = await enc.encode(pairs.map((p) => p.text1));
        const b = await enc.encode(pairs.map((p) => p.text2));
        return pairs.map((_, i) => {
          let s = 0;
          for (let j = 0; j < a.cols; j++) s += a.data[i * a.cols + j] * b.data[i * b.cols + j];
          return s;
        });
      });
      rows.push({
        task: `built-in encoder on STSb test (${pairs.length} pairs), fit + encode`,
        ours: fmtSeconds(t.seconds),
        baseline: '',
        ratio: '',
        note: `Spearman ${spearman(t.value, pairs.map((p) => p.score)).toFixed(3)} (TF-IDF cosine ≈ 0.70)`,
      });
    }
    return rows;
  },
};
