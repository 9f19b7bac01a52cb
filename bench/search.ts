/**
 * Search latency over 100k random 384-d vectors (clustered gaussian, so that neighbours
 * mean something): exact scan against the IVF index, with recall@10 of the IVF results.
 */
import type { BenchSection } from './types';
import { fmtRatio, timeIt } from './types';
import { gaussianBlobs } from './cluster';
import { ExactIndex, IvfVectorIndex } from '../src/engine/search/vector-index';
import { buildIvfIndex } from '../src/engine/cluster/ivf';
import { createRng, gaussian } from '../src/engine/util/random';

export const searchBench: BenchSection = {
  name: 'search',
  async run() {
    const x = gaussianBlobs(100_000, 384, 200, 5, 2);
    const exact = new ExactIndex(x);
    const build = await timeIt(() => buildIvfIndex(x, { seed: 1 }));
    const ivf = new IvfVectorIndex(build.value);
    const rng = createRng(9);
    const queries = Array.from({ length: 50 }, () => {
      const i = Math.floor(rng() * x.rows);
      return Float32Array.from(x.data.subarray(i * 384, (i + 1) * 384), (v) => v + gaussian(rng));
    });
    const truth: number[][] = [];
    const e = await timeIt(() => {
      for (const q of queries) truth.push(exact.search(q, 10).map((h) => h.index));
    });
    let hit = 0;
    const a = await timeIt(() => {
      queries.forEach((q, t) => {
        const set = new Set(truth[t]);
        for (const h of ivf.search(q, 10)) if (set.has(h.index)) hit++;
      });
    });
    const exactMs = (e.seconds * 1000) / queries.length;
    const ivfMs = (a.seconds * 1000) / queries.length;
    return [
      { task: 'search top-10, 100k × 384, exact scan', ours: `${exactMs.toFixed(1)} ms/query`, baseline: '', ratio: '' },
      {
        task: `search top-10, 100k × 384, IVF (${build.value.nList} cells, ${ivf.nProbe} probed)`,
        ours: `${ivfMs.toFixed(1)} ms/query`,
        baseline: `${exactMs.toFixed(1)} ms/query (exact)`,
        ratio: fmtRatio(exactMs / ivfMs),
        note: `recall@10 ${(hit / (queries.length * 10)).toFixed(3)}; index built in ${build.seconds.toFixed(1)} s`,
      },
    ];
  },
};
