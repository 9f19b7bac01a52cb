/**
 * AdamW (Loshchilov & Hutter: Adam with decoupled weight decay), with a linear warm-up then
 * linear decay schedule as in Hugging Face's get_linear_schedule_with_warmup.
 *
 * The update runs in plain JS on Float32Arrays: one fused loop per parameter instead of ~10
 * tensor ops, which is faster for head-sized parameters on the wasm backend. The moments
 * are named arrays, so a checkpoint can store and restore them.
 */
import { tf } from './backend';
import type { HeadWeights } from './heads/index';

export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  weightDecay?: number;
}

/** Learning rate at `step` (0-based) of `total`: 0→lr over `warmup` steps, then lr→0. */
export function linearWarmupDecay(step: number, total: number, warmup: number, lr: number): number {
  if (step < warmup) return (lr * (step + 1)) / warmup;
  const rest = Math.max(1, total - warmup);
  return Math.max(0, (lr * (total - step)) / rest);
}

export class AdamW {
  private readonly m = new Map<string, Float32Array>();
  private readonly v = new Map<string, Float32Array>();
  private readonly params = new Map<string, Float32Array>();
  /** Number of updates applied so far. */
  step = 0;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly weightDecay: number;

  constructor(options: AdamWOptions = {}) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0.01;
  }

  /** Applies one update to `variables` from `grads` (same names) at learning rate `lr`. */
  apply(variables: Record<string, tf.Variable>, grads: Record<string, tf.Tensor>, lr: number, decayed: ReadonlySet<string>): void {
    this.step++;
    const { beta1: b1, beta2: b2, epsilon: eps } = this;
    const c1 = 1 - Math.pow(b1, this.step);
    const c2 = 1 - Math.pow(b2, this.step);
    for (const [name, variable] of Object.entries(variables)) {
      const gt = grads[name];
      if (!gt) continue;
      const g = gt.dataSync() as Float32Array;
      let w = this.params.get(name);
      if (!w || w.length !== g.length) {
        w = new Float32Array(variable.dataSync());
        this.params.set(name, w);
      }
      let m = this.m.get(name);
      let v = this.v.get(name);
      if (!m || !v) {
        m = new Float32Array(g.length);
        v = new Float32Array(g.length);
        this.m.set(name, m);
        this.v.set(name, v);
      }
      const decay = decayed.has(name) ? lr * this.weightDecay : 0;
      for (let i = 0; i < g.length; i++) {
        const gi = g[i];
        const mi = (m[i] = b1 * m[i] + (1 - b1) * gi);
        const vi = (v[i] = b2 * v[i] + (1 - b2) * gi * gi);
        w[i] = w[i] - lr * (mi / c1 / (Math.sqrt(vi / c2) + eps)) - decay * w[i];
      }
      const next = tf.tensor(w, variable.shape, 'float32');
      variable.assign(next);
      next.dispose();
    }
  }

  /** The moments, as named tensors "m.<name>" and "v.<name>". */
  state(): HeadWeights {
    const out: HeadWeights = {};
    for (const [name, t] of this.m) out[`m.${name}`] = { shape: [t.length], data: new Float32Array(t) };
    for (const [name, t] of this.v) out[`v.${name}`] = { shape: [t.length], data: new Float32Array(t) };
    return out;
  }

  /** Restores moments saved by `state()` and the step count. */
  restore(state: HeadWeights, step: number): void {
    this.dispose();
    for (const [key, t] of Object.entries(state)) {
      const dot = key.indexOf('.');
      const kind = key.slice(0, dot);
      const name = key.slice(dot + 1);
      (kind === 'm' ? this.m : this.v).set(name, new Float32Array(t.data));
    }
    this.step = step;
  }

  dispose(): void {
    this.m.clear();
    this.v.clear();
    this.params.clear();
  }
}
