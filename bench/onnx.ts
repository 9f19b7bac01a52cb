/**
 * ONNX encoder bench: a MiniLM-L6-shaped random model (6 layers, 384 hidden, 12 heads, FFN 1536,
 * vocab 30522) written by our ONNX writer next to the genuine all-MiniLM-L6-v2 tokenizer, on 2,000
 * AG News texts:
 *  - our whole pipeline (tokenize, pad, run, pool, normalise) against bare `session.run` on the same
 *    pre-tokenized, pre-padded batches (target ≥ 0.9×);
 *  - smart batching (texts sorted by token count, batches within the encoder's limits of 32 texts and
 *    1,024 padded tokens) against batches of 32 in the original order (aim ≥ 1.3×);
 *  - sentences/s and peak memory of one encode() call over all texts, in a fresh child process
 *    that holds nothing else (bench/onnx-encode-child.ts), against onnxruntime from Python on
 *    token-sorted batches of 32 (bench/peers/ort_encode.py) when a Python with onnxruntime and
 *    tokenizers is found (target ≥ 1×), and, as a control, against the same Python running our batch
 *    plan: there both sides run the same kernels on the same batches, and what remains is the cost of
 *    our pipeline around them. Both get the same intra-op threads, and each run prints a digest of its
 *    batch plan, which the bench checks. The processes run in turn (ours, the peer on its batches, the
 *    peer on ours twice, the peer on its batches, ours) and the best run of each counts: one burst of
 *    load on the shared machine cannot decide it;
 *  - the padded tokens of batches sorted by token count against batches sorted by character length.
 *
 * The machine may be shared, so the compared variants alternate batch by batch (each batch is one
 * encode() call of our encoder, or one session.run of the bare baseline): a change of load hits both
 * alike. Both use the same session options (intra-op threads = logical cores).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import type * as ort from 'onnxruntime-node';
import type { BenchRow, BenchSection } from './types';
import { fmtRatio, fmtSeconds, SHARED_DATA } from './types';
import { MINILM_L6_CONFIG } from '../src/engine/onnx/bert-config';
import { randomBertWeights } from '../src/engine/onnx/bert-weights';
import { writeModelFolder } from '../src/engine/onnx/model-folder-writer';
import { createOnnxEncoder, type OnnxEncoder } from '../src/engine/encoders/onnx/onnx-encoder';
import { DEFAULT_BATCH_LIMITS, padBatch, planBatches } from '../src/engine/encoders/onnx/batching';
import { batchFeeds, defaultThreads, openSession } from '../src/engine/encoders/onnx/ort-session';
import { findPeerPython } from './peer-python';
import { planDigest } from './plan-digest';

const N_TEXTS = Number(process.env.EMBEDLAB_BENCH_ONNX_TEXTS ?? 2000);
const BATCH = 32;
/** Batches of 32 texts without a token bound: sentence-transformers' default batch size. */
const FIXED_BATCHES = { maxTexts: BATCH, maxTokens: Infinity };

function loadAgNews(n: number): string[] | undefined {
  const file = path.join(SHARED_DATA, 'ag_news', 'test.jsonl');
  if (!fs.existsSync(file)) return undefined;
  const out: string[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as { title: string; description: string };
    out.push(`${r.title}. ${r.description}`);
    if (out.length >= n) break;
  }
  return out;
}

function tokenizerPath(): string {
  const shared = path.join(SHARED_DATA, '..', 'models', 'all-MiniLM-L6-v2', 'tokenizer.json');
  return fs.existsSync(shared) ? shared : path.resolve(__dirname, '../test/fixtures/models/hub/all-MiniLM-L6-v2/tokenizer.json');
}

/** Seconds of one call. */
async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

/** The texts of each batch, in the order given by `batches`. */
function batchTexts(texts: readonly string[], batches: readonly { indices: number[] }[]): string[][] {
  return batches.map((b) => b.indices.map((i) => texts[i]));
}

/**
 * Ours against bare session.run on the smart batches, and smart against unsorted batches, all
 * interleaved batch by batch in a rotating order. Returns the summed seconds of each variant.
 */
async function interleaved(encoder: OnnxEncoder, plain: OnnxEncoder, session: ort.InferenceSession, texts: string[]) {
  const sorted = encoder.planBatches(texts);
  const unsorted = planBatches(texts.map((t) => t.length), FIXED_BATCHES, false);
  const sortedTexts = batchTexts(texts, sorted);
  const unsortedTexts = batchTexts(texts, unsorted);
  const ids = encoder.tokenize(texts);
  const feeds = sorted.map((b) => batchFeeds(session, padBatch(b.indices.map((i) => ids[i]), encoder.tokenizer.padId)));
  let bare = 0;
  let ours = 0;
  let unsortedSeconds = 0;
  const rounds = Math.max(sorted.length, unsorted.length);
  for (let b = 0; b < rounds; b++) {
    const steps = [
      async () => {
        if (b < feeds.length) bare += await timed(() => session.run(feeds[b], ['last_hidden_state']));
      },
      async () => {
        if (b < sortedTexts.length) ours += await timed(() => encoder.encode(sortedTexts[b]));
      },
      async () => {
        if (b < unsortedTexts.length) unsortedSeconds += await timed(() => plain.encode(unsortedTexts[b]));
      },
    ];
    for (let s = 0; s < steps.length; s++) await steps[(s + b) % steps.length]();
  }
  return { bare, ours, unsorted: unsortedSeconds, batches: sorted.length };
}

/** One timed encode of all texts in a fresh process (ours or the Python peer). */
interface EncodeRun {
  seconds: number;
  /** User + system CPU seconds of the process during the timed encode. */
  cpuSeconds: number;
  maxRssMb: number;
  /** Digest of the text indices in batch order. */
  planSha: string;
}

interface PythonPeerRun extends EncodeRun {
  rows: number;
  paddedTokens: number;
}

/**
 * onnxruntime from Python on the same folder and texts: `run()` cuts its own token-sorted batches of
 * 32, `run(planFile)` runs the batches of that plan; undefined without such a Python.
 */
function encodeInPython(
  modelDir: string,
  textsFile: string,
  maxTokens: number,
  threads: number,
): { run: (planFile?: string) => PythonPeerRun; versions: string } | undefined {
  const py = findPeerPython(['onnxruntime', 'tokenizers', 'numpy']);
  if (!py) return undefined;
  const script = path.join(__dirname, 'peers', 'ort_encode.py');
  const run = (planFile?: string): PythonPeerRun => {
    const args = [script, modelDir, textsFile, String(BATCH), String(maxTokens), String(threads), ...(planFile ? [planFile] : [])];
    const r = spawnSync(py.path, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`onnxruntime (Python) peer failed: ${r.stderr.trim().split('\n').pop()}`);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as PythonPeerRun;
  };
  return { run, versions: `onnxruntime ${py.versions.onnxruntime}, tokenizers ${py.versions.tokenizers}` };
}

/** Tokens fed to the model (padding included) when `batches` are padded to their longest text. */
function paddedTokens(ids: readonly ArrayLike<number>[], batches: readonly { indices: number[] }[]): number {
  let total = 0;
  for (const b of batches) total += b.indices.length * Math.max(...b.indices.map((i) => ids[i].length));
  return total;
}

/** One encode() over all texts in a fresh process: seconds, CPU seconds, peak RSS (MB), batch plan digest. */
function encodeInChild(modelDir: string, textsFile: string, threads: number): EncodeRun & { baselineRssMb: number } {
  const child = path.join(__dirname, 'onnx-encode-child.ts');
  const args = ['--import', 'tsx', child, modelDir, textsFile, String(BATCH), String(threads)];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`encode child failed: ${r.stderr.trim().split('\n').pop()}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as EncodeRun & { baselineRssMb: number };
}

/** The fastest of some runs. */
function best<T extends { seconds: number }>(runs: readonly T[]): T {
  return runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
}

/** "14.2 s, 14.9 s": the seconds of each run, in the order they ran. */
function runSeconds(runs: readonly { seconds: number }[]): string {
  return runs.map((r) => fmtSeconds(r.seconds)).join(', ');
}

export const onnxBench: BenchSection = {
  name: 'onnx',
  async run(): Promise<BenchRow[]> {
    const texts = loadAgNews(N_TEXTS);
    if (!texts) return [{ task: 'ONNX encoder', ours: '', baseline: '', ratio: '', note: 'skipped: ../shared/data/ag_news absent' }];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedlab-bench-minilm-'));
    try {
      const tGen = performance.now();
      writeModelFolder(dir, {
        config: MINILM_L6_CONFIG,
        weights: randomBertWeights(MINILM_L6_CONFIG, 1),
        tokenizerJsonPath: tokenizerPath(),
        pooling: 'mean',
        normalize: true,
        maxSeqLength: 256,
        safetensors: false,
      });
      const genSeconds = (performance.now() - tGen) / 1000;
      const fileMb = fs.statSync(path.join(dir, 'onnx', 'model.onnx')).size / 2 ** 20;
      const threads = defaultThreads();
      const encoder = await createOnnxEncoder(dir, { batchSize: BATCH });
      const plain = await createOnnxEncoder(dir, { batchSize: BATCH, maxBatchTokens: Infinity, smartBatching: false });
      const session = await openSession(path.join(dir, 'onnx', 'model.onnx'), threads);
      let m: Awaited<ReturnType<typeof interleaved>>;
      let tokenIds: number[][] = [];
      let ourPlan: number[][] = [];
      /** Token-sorted batches of 32, as the Python peer cuts them. */
      let peerPlan: number[][] = [];
      try {
        tokenIds = encoder.tokenize(texts);
        ourPlan = encoder.planBatches(texts).map((b) => b.indices);
        peerPlan = planBatches(tokenIds.map((t) => t.length), FIXED_BATCHES).map((b) => b.indices);
        // Warm-up: the sessions see the longest batch once (arena sizes), outside the timing.
        const longest = peerPlan[0].map((i) => texts[i]);
        await encoder.encode(longest);
        await plain.encode(longest);
        await session.run(batchFeeds(session, padBatch(encoder.tokenize(longest), encoder.tokenizer.padId)), ['last_hidden_state']);
        m = await interleaved(encoder, plain, session, texts);
      } finally {
        await Promise.all([encoder.dispose(), plain.dispose(), session.release()]);
      }
      const textsFile = path.join(dir, 'texts.json');
      fs.writeFileSync(textsFile, JSON.stringify(texts));
      const planFile = path.join(dir, 'plan.json');
      fs.writeFileSync(planFile, JSON.stringify(ourPlan));
      // In turn: ours, the peer on its batches of 32, the peer on our plan, and again in reverse.
      // Each side's best run counts.
      const python = encodeInPython(dir, textsFile, 256, threads);
      const ourRuns = [encodeInChild(dir, textsFile, threads)];
      const peerRuns: PythonPeerRun[] = [];
      const peerOnOurPlan: PythonPeerRun[] = [];
      if (python) {
        peerRuns.push(python.run());
        peerOnOurPlan.push(python.run(planFile), python.run(planFile));
        peerRuns.push(python.run());
      }
      ourRuns.push(encodeInChild(dir, textsFile, threads));
      const whole = best(ourRuns);
      const peer = peerRuns.length ? best(peerRuns) : undefined;
      const control = peerOnOurPlan.length ? best(peerOnOurPlan) : undefined;
      const sha = (plan: number[][]) => planDigest(plan.flat());
      if (ourRuns.some((r) => r.planSha !== sha(ourPlan))) throw new Error('the encode child ran other batches than encoder.planBatches');
      if (peerRuns.some((r) => r.planSha !== sha(peerPlan))) throw new Error('the Python peer cut other batches than token-sorted batches of 32');
      if (peerOnOurPlan.some((r) => r.planSha !== whole.planSha)) {
        throw new Error(`the Python peer given our plan ran other batches (plan digest ${control?.planSha} vs ${whole.planSha})`);
      }
      const n = texts.length;
      const asBatches = (plan: number[][]) => plan.map((indices) => ({ indices }));
      const ourTokens = paddedTokens(tokenIds, asBatches(ourPlan));
      const byTokens = paddedTokens(tokenIds, asBatches(peerPlan));
      const byChars = paddedTokens(tokenIds, planBatches(texts.map((t) => t.length), FIXED_BATCHES));
      const rss = (r: { maxRssMb: number }) => `peak RSS ${r.maxRssMb.toFixed(0)} MB`;
      const rate = (r: { seconds: number }) => `${fmtSeconds(r.seconds)} (${Math.round(n / r.seconds)} sentences/s)`;
      const limits = `at most ${DEFAULT_BATCH_LIMITS.maxTexts} texts and ${DEFAULT_BATCH_LIMITS.maxTokens.toLocaleString('en-US')} padded tokens per batch`;
      return [
        {
          task: `MiniLM-L6 shape, ${n} AG News texts: whole pipeline (tokenize, pad, run, mean-pool, normalise) vs bare session.run on the same pre-tokenized batches (${limits})`,
          ours: `${fmtSeconds(m.ours)} (${Math.round(n / m.ours)} sentences/s)`,
          baseline: `${fmtSeconds(m.bare)} (${Math.round(n / m.bare)} sentences/s)`,
          ratio: fmtRatio(m.bare / m.ours),
          note: `target ≥ 0.90×; ${threads} intra-op threads; ${m.batches} batches, the variants alternating batch by batch`,
        },
        {
          task: `smart batching (sorted by token count, ${limits}) vs batches of ${BATCH} in file order, ${n} texts`,
          ours: fmtSeconds(m.ours),
          baseline: fmtSeconds(m.unsorted),
          ratio: fmtRatio(m.unsorted / m.ours),
          note: 'aim ≥ 1.3×; same model, alternating batch by batch',
        },
        {
          task: `one encode() of all ${n} texts in a fresh process (tokenize, token-sorted batches, run, pool, normalise) vs onnxruntime from Python on token-sorted batches of ${BATCH}`,
          ours: `${rate(whole)}, ${rss(whole)}`,
          baseline: peer ? `${rate(peer)}, ${rss(peer)}` : '',
          ratio: peer ? fmtRatio(peer.seconds / whole.seconds) : '',
          note:
            (python && peer
              ? `target ≥ 1×; ${python.versions}; ours cuts its batches at ${DEFAULT_BATCH_LIMITS.maxTokens.toLocaleString('en-US')} padded tokens (${ourPlan.length} batches), the peer at ${BATCH} texts (${peerPlan.length}); ` +
                `best of 2 runs each, run in turn (ours ${runSeconds(ourRuns)}; peer ${runSeconds(peerRuns)}); CPU time ${whole.cpuSeconds.toFixed(1)} s vs ${peer.cpuSeconds.toFixed(1)} s; same ${threads} intra-op threads; `
              : 'no Python with onnxruntime and tokenizers: no peer; ') +
            `RSS ${whole.baselineRssMb.toFixed(0)} MB after loading the model; model file ${fileMb.toFixed(0)} MB (generated in ${genSeconds.toFixed(1)} s)`,
        },
        {
          task: `the same encode() vs onnxruntime from Python running our batches (control: the same plan on both sides, so the same kernels on the same work)`,
          ours: rate(whole),
          baseline: control ? `${rate(control)}, ${rss(control)}` : '',
          ratio: control ? fmtRatio(control.seconds / whole.seconds) : '',
          note: control
            ? `plan digests match; best of 2 runs each (peer ${runSeconds(peerOnOurPlan)}); CPU time ${whole.cpuSeconds.toFixed(1)} s vs ${control.cpuSeconds.toFixed(1)} s`
            : 'no Python with onnxruntime and tokenizers: no peer',
        },
        {
          task: `tokens fed to the model, padding included, ${n} texts: our batches (token-sorted, ${limits}) vs batches of ${BATCH} sorted by character length (as sentence-transformers sorts)`,
          ours: `${ourTokens.toLocaleString('en-US')} tokens`,
          baseline: `${byChars.toLocaleString('en-US')} tokens`,
          ratio: fmtRatio(byChars / ourTokens),
          note:
            `${((1 - ourTokens / byChars) * 100).toFixed(0)}% fewer tokens; token-sorted batches of ${BATCH} pad to ${byTokens.toLocaleString('en-US')}` +
            (peerRuns.length ? `, as the Python peer padded (${peerRuns[0].paddedTokens.toLocaleString('en-US')})` : ''),
        },
      ];
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
