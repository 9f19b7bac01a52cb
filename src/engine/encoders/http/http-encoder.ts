import type { EncodeOptions, Encoder } from '../encoder';
import type { Matrix } from '../../util/matrix';
import { createMatrix } from '../../util/matrix';
import { checkpoint, throwIfCancelled, type ProgressListener } from '../../util/job';
import type { EndpointSpec } from './endpoint-spec';
import { planBatches } from './batches';
import { EndpointError, requestEmbeddings } from './embeddings-request';

export interface HttpEncoderOptions {
  /** Sent as `Authorization: Bearer` (or `api-key` for Azure); never part of the id or any file. */
  apiKey?: string;
  /** Texts per request (default 64; the spec's batch_size wins). */
  batchSize?: number;
  /** Characters per request, about (default 100,000; the spec's max_chars wins). */
  maxCharsPerRequest?: number;
  /** Per-request timeout (default 60 s). */
  timeoutMs?: number;
  /** Retries after a 429, 5xx, timeout or network error (default 5). */
  maxRetries?: number;
  /** First back-off delay (default 500 ms), doubled each retry, with jitter; capped by retryMaxMs (default 30 s). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Requests in flight at once (default 2). */
  concurrency?: number;
  /** Skips the probe request when the dimension is known (it is then checked on the first answer). */
  dimension?: number;
  /** Whether the vectors come L2-normalised; measured on the probe when not given. */
  normalized?: boolean;
  signal?: AbortSignal;
  /** Told of retries and long waits during the probe request. */
  onProgress?: ProgressListener;
  /** How often a request without an answer is reported (default 10 s). */
  waitNoticeMs?: number;
}

function isUnitNorm(rows: readonly Float32Array[]): boolean {
  return rows.every((r) => {
    let s = 0;
    for (let i = 0; i < r.length; i++) s += r[i] * r[i];
    return Math.abs(Math.sqrt(s) - 1) < 1e-3;
  });
}

/** Encoder over an OpenAI-compatible `/v1/embeddings` endpoint (OpenAI, Azure, TEI, Ollama, vLLM). */
export class HttpEncoder implements Encoder {
  readonly id: string;
  private dim: number;
  private unit: boolean;
  private readonly label: string;

  private constructor(
    private readonly spec: EndpointSpec,
    private readonly options: HttpEncoderOptions,
    dimension: number,
    normalized: boolean,
  ) {
    this.id = spec.id;
    this.dim = dimension;
    this.unit = normalized;
    this.label = spec.id.replace(/^http:/, '');
  }

  /**
   * Builds the encoder. Unless the dimension and normalisation are given, one probe request
   * with a short text learns them (and checks the endpoint and key work).
   */
  static async create(spec: EndpointSpec, options: HttpEncoderOptions = {}): Promise<HttpEncoder> {
    const enc = new HttpEncoder(spec, options, options.dimension ?? spec.dimensions ?? 0, options.normalized ?? false);
    if (options.dimension === undefined || options.normalized === undefined) {
      const [row] = await enc.post(['dimension probe'], options.signal, options.onProgress);
      enc.dim = row.length;
      enc.unit = options.normalized ?? isUnitNorm([row]);
    }
    return enc;
  }

  get dimension(): number {
    return this.dim;
  }

  get normalized(): boolean {
    return this.unit;
  }

  private post(input: string[], signal: AbortSignal | undefined, onProgress: ProgressListener | undefined): Promise<Float32Array[]> {
    const o = this.options;
    return requestEmbeddings({
      url: this.spec.url,
      model: this.spec.model,
      dimensions: this.spec.dimensions,
      // Most servers reject empty strings.
      input: input.map((t) => (t === '' ? ' ' : t)),
      apiKey: o.apiKey,
      azure: this.spec.azure,
      timeoutMs: this.spec.timeoutMs ?? o.timeoutMs ?? 60_000,
      maxRetries: this.spec.maxRetries ?? o.maxRetries ?? 5,
      retryBaseMs: o.retryBaseMs ?? 500,
      retryMaxMs: o.retryMaxMs ?? 30_000,
      signal,
      label: this.label,
      onProgress,
      waitNoticeMs: o.waitNoticeMs,
    });
  }

  /**
   * Encodes in batches, a few requests in flight. The role is ignored: add model prefixes
   * such as e5's "query: " to the texts (endpoints apply none).
   */
  async encode(texts: readonly string[], options: EncodeOptions = {}): Promise<Matrix> {
    const { signal, onProgress } = options;
    const batchSize = this.spec.batchSize ?? this.options.batchSize ?? 64;
    const maxChars = this.spec.maxCharsPerRequest ?? this.options.maxCharsPerRequest ?? 100_000;
    const concurrency = Math.max(1, this.spec.concurrency ?? this.options.concurrency ?? 2);
    const batches = planBatches(texts, batchSize, maxChars);
    const out = createMatrix(texts.length, this.dim);
    let next = 0;
    let done = 0;
    let failed = false;
    onProgress?.({ stage: 'embed', done: 0, total: texts.length });
    const worker = async () => {
      while (next < batches.length && !failed) {
        throwIfCancelled(signal);
        const [start, end] = batches[next++];
        const rows = await this.post(texts.slice(start, end), signal, onProgress).catch((err: unknown) => {
          failed = true;
          throw err;
        });
        for (let i = 0; i < rows.length; i++) {
          if (rows[i].length !== this.dim) {
            throw new EndpointError(`${this.label}: got vectors of dimension ${rows[i].length}, expected ${this.dim}`);
          }
          out.data.set(rows[i], (start + i) * this.dim);
        }
        done += end - start;
        onProgress?.({ stage: 'embed', done, total: texts.length });
        await checkpoint(signal);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
    return out;
  }

  async dispose(): Promise<void> {
    /* fetch keeps no state of ours */
  }
}
