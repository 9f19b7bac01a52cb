import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../../src/engine/util/random';
import { KdTree } from '../../../src/engine/cluster/kdtree';

test('KdTree.kthNeighbourDist2: the k-th smallest squared distance to another point, as a brute-force scan finds it', () => {
  for (const [n, d, grid] of [
    [1, 2, false],
    [17, 2, false],
    [400, 2, false],
    [400, 5, false],
    [300, 3, true],
    [250, 9, false],
  ] as const) {
    const rng = createRng(n * 31 + d);
    const data = Float32Array.from({ length: n * d }, () => (grid ? Math.floor(rng() * 3) : rng() * 8 - 4));
    const tree = new KdTree(data, n, d);
    for (const k of [1, 2, 10].filter((k) => k < n)) {
      const best = new Float64Array(k);
      for (let i = 0; i < n; i++) {
        const all: number[] = [];
        for (let j = 0; j < n; j++) {
          if (j === i) continue;
          let s = 0;
          for (let t = 0; t < d; t++) {
            const diff = data[i * d + t] - data[j * d + t];
            s += diff * diff;
          }
          all.push(s);
        }
        all.sort((a, b) => a - b);
        assert.equal(tree.kthNeighbourDist2(i, best), all[k - 1], `n ${n}, ${d}-d, k ${k}, point ${i}`);
        assert.deepEqual([...best], all.slice(0, k), 'best holds the k smallest, ascending');
      }
    }
  }
});
