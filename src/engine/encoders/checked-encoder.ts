/**
 * The check every encoder's output goes through where it enters (resolveEncoder wraps each
 * encoder in it): a NaN or an infinite value (an endpoint's 1e39 overflows float32 to Infinity)
 * is an error naming the text's index and id, instead of a "Pearson NaN" or "loss became NaN"
 * much later; an all-zero vector is legal but suspicious, so it is counted and reported as a
 * "warning" progress message.
 */
import type { EncodeOptions, Encoder } from './encoder';
import type { Matrix } from '../util/matrix';
import type { ProgressListener } from '../util/job';

/** An encoder returned a vector with a NaN or an infinite value. */
export class NonFiniteVectorError extends Error {
  override name = 'NonFiniteVectorError';
  constructor(
    message: string,
    readonly index: number,
    readonly id?: string,
  ) {
    super(message);
  }
}

function describeText(index: number, ids: readonly string[] | undefined): string {
  const id = ids?.[index];
  return `text ${index}${id !== undefined ? ` (id "${id}")` : ''}`;
}

/**
 * Checks the rows of `m` (the vectors of `texts`). Throws NonFiniteVectorError at the first
 * row holding a NaN or ±Infinity; reports all-zero rows through `onProgress` as a warning.
 * Returns the indices of the all-zero rows.
 */
export function checkVectors(
  m: Matrix,
  encoderId: string,
  options: { ids?: readonly string[]; onProgress?: ProgressListener } = {},
): number[] {
  const zeros: number[] = [];
  const { rows, cols, data } = m;
  for (let r = 0; r < rows; r++) {
    let allZero = true;
    for (let c = r * cols, end = c + cols; c < end; c++) {
      const v = data[c];
      if (!Number.isFinite(v))
        throw new NonFiniteVectorError(
          `${encoderId} returned a vector with ${v} (component ${c - r * cols}) for ${describeText(r, options.ids)}: ` +
            'the model or endpoint overflowed float32 or produced NaN; check the model, its precision (fp16?) and the text',
          r,
          options.ids?.[r],
        );
      if (v !== 0) allZero = false;
    }
    if (allZero) zeros.push(r);
  }
  if (zeros.length)
    options.onProgress?.({
      stage: 'warning',
      done: zeros.length,
      total: rows,
      message: `${zeros.length} of ${rows} vectors are all zeros (first: ${describeText(zeros[0], options.ids)}); their cosine similarity is undefined`,
    });
  return zeros;
}

/**
 * `inner` with every `encode` result checked by `checkVectors`. Everything else is the encoder's
 * own (a proxy, so its other properties, such as an ONNX encoder's folder, stay visible).
 */
export function checkedEncoder<E extends Encoder>(inner: E): E {
  const encode = async (texts: readonly string[], options: EncodeOptions = {}): Promise<Matrix> => {
    const m = await inner.encode(texts, options);
    checkVectors(m, inner.id, options);
    return m;
  };
  return new Proxy(inner, {
    get(target, prop) {
      if (prop === 'encode') return encode;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
