/**
 * umap-js 1.4's layout optimisation step (optimizeLayoutStep) on flat typed arrays. It performs
 * the same operations in the same order on the same float64 values, drawing negative samples from
 * the same random source, so the layout is umap-js's own bit for bit (test/unit/cluster/umap.test.ts);
 * umap-js keeps the embedding as one JavaScript array per point, which at 100k points makes each
 * epoch several times slower.
 */

/** The parts of umap-js's optimisation state the step reads and writes. */
export interface UmapOptimizationState {
  head: number[];
  tail: number[];
  headEmbedding: number[][];
  tailEmbedding: number[][];
  epochsPerSample: number[];
  epochOfNextSample: number[];
  epochOfNextNegativeSample: number[];
  epochsPerNegativeSample: number[];
  moveOther: boolean;
  initialAlpha: number;
  alpha: number;
  gamma: number;
  a: number;
  b: number;
  dim: number;
  nEpochs: number;
  nVertices: number;
  currentEpoch: number;
}

/**
 * A replacement for `umap.optimizeLayoutStep(n)`: call it with the state and the epoch. The
 * embedding lives in a flat array until the last epoch, then is written back to the state's rows
 * (the rows are stale in between: read them only once all epochs ran).
 */
export function typedLayoutStepper(random: () => number): (state: UmapOptimizationState, n: number) => number[][] {
  let flat: Float64Array | undefined;
  let head: Int32Array;
  let tail: Int32Array;
  let epochsPerSample: Float64Array;
  let epochOfNextSample: Float64Array;
  let epochOfNextNegativeSample: Float64Array;
  let epochsPerNegativeSample: Float64Array;
  return (st, n) => {
    const dim = st.dim;
    if (!flat) {
      if (st.headEmbedding !== st.tailEmbedding) throw new Error('UMAP: separate head and tail embeddings are not supported');
      flat = new Float64Array(st.headEmbedding.length * dim);
      st.headEmbedding.forEach((row, i) => flat!.set(row, i * dim));
      head = Int32Array.from(st.head);
      tail = Int32Array.from(st.tail);
      epochsPerSample = Float64Array.from(st.epochsPerSample);
      epochOfNextSample = Float64Array.from(st.epochOfNextSample);
      epochOfNextNegativeSample = Float64Array.from(st.epochOfNextNegativeSample);
      epochsPerNegativeSample = Float64Array.from(st.epochsPerNegativeSample);
    }
    const e = flat;
    const { moveOther, alpha, gamma, a, b, nVertices } = st;
    const clipValue = 4.0;
    for (let i = 0; i < epochsPerSample.length; i++) {
      if (epochOfNextSample[i] > n) continue;
      const j = head[i];
      const k = tail[i];
      const cj = j * dim;
      const ck = k * dim;
      let distSquared = 0.0;
      for (let d = 0; d < dim; d++) {
        const v = e[cj + d] - e[ck + d];
        distSquared += v * v; // umap-js: Math.pow(v, 2), which is v·v exactly
      }
      let gradCoeff = 0;
      if (distSquared > 0) {
        gradCoeff = -2.0 * a * b * Math.pow(distSquared, b - 1.0);
        gradCoeff /= a * Math.pow(distSquared, b) + 1.0;
      }
      for (let d = 0; d < dim; d++) {
        const gradD = clip(gradCoeff * (e[cj + d] - e[ck + d]), clipValue);
        e[cj + d] += gradD * alpha;
        if (moveOther) e[ck + d] += -gradD * alpha;
      }
      epochOfNextSample[i] += epochsPerSample[i];
      const nNegSamples = Math.floor((n - epochOfNextNegativeSample[i]) / epochsPerNegativeSample[i]);
      for (let p = 0; p < nNegSamples; p++) {
        const k1 = Math.floor(random() * nVertices);
        const c1 = k1 * dim;
        let distSquared1 = 0.0;
        for (let d = 0; d < dim; d++) {
          const v = e[cj + d] - e[c1 + d];
          distSquared1 += v * v;
        }
        let gradCoeff1 = 0.0;
        if (distSquared1 > 0.0) {
          gradCoeff1 = 2.0 * gamma * b;
          gradCoeff1 /= (0.001 + distSquared1) * (a * Math.pow(distSquared1, b) + 1);
        } else if (j === k1) continue;
        for (let d = 0; d < dim; d++) {
          let gradD = 4.0;
          if (gradCoeff1 > 0.0) gradD = clip(gradCoeff1 * (e[cj + d] - e[c1 + d]), clipValue);
          e[cj + d] += gradD * alpha;
        }
      }
      epochOfNextNegativeSample[i] += nNegSamples * epochsPerNegativeSample[i];
    }
    st.alpha = st.initialAlpha * (1.0 - n / st.nEpochs);
    st.currentEpoch += 1;
    if (st.currentEpoch >= st.nEpochs) st.headEmbedding.forEach((row, i) => {
      for (let d = 0; d < dim; d++) row[d] = e[i * dim + d];
    });
    return st.headEmbedding;
  };
}

function clip(x: number, clipValue: number): number {
  if (x > clipValue) return clipValue;
  else if (x < -clipValue) return -clipValue;
  return x;
}
