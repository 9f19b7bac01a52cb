import type { CliCommand } from '../command';
import { jsonOption } from '../command';
import { UsageError } from '../args';
import { downloadModel } from '../../engine/encoders/hub/download-model';
import { parseHubSpec } from '../../engine/encoders/hub/hub-spec';
import { throttleProgress } from '../../engine/util/job';

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

/** `embedlab download <model-id>`: fetches a Hub model's ONNX export into the shared cache. */
export const downloadCommand: CliCommand = {
  name: 'download',
  summary: 'Download a Hugging Face model (ONNX export, tokenizer, configs) into the shared cache',
  usage: 'embedlab download <org/name[@revision]> [--revision main] [--onnx-file onnx/model.onnx] [--cache-dir <dir>] [--offline] [--json]',
  options: [
    { name: 'revision', kind: 'string', description: 'branch, tag or commit sha (default: main, or the @revision in the id)' },
    { name: 'onnx-file', kind: 'string', description: 'the ONNX file to fetch, e.g. onnx/model_qint8_avx512.onnx (default onnx/model.onnx, else model.onnx)' },
    { name: 'cache-dir', kind: 'string', description: 'the cache root (default $EMBEDLAB_CACHE_DIR or ~/.cache/embedding-lab; models go in its hub/ folder)' },
    { name: 'offline', kind: 'boolean', description: 'use the cache only (also HF_HUB_OFFLINE=1)' },
    jsonOption,
  ],
  async run(ctx) {
    const [id] = ctx.args.positionals;
    if (!id) throw new UsageError('missing the model id (org/name)');
    const ref = parseHubSpec(id);
    const o = ctx.args.options;
    const onProgress = throttleProgress((p) => {
      const pct = p.total > 0 ? ` (${Math.floor((100 * p.done) / p.total)}%)` : '';
      ctx.log(`download ${mb(p.done)}/${mb(p.total)} MB${pct}${p.message ? ` ${p.message}` : ''}`);
    }, 500);
    const started = performance.now();
    const model = await downloadModel(ref.repoId, {
      revision: typeof o.revision === 'string' ? o.revision : ref.revision,
      onnxFile: typeof o['onnx-file'] === 'string' ? o['onnx-file'] : ref.onnxFile,
      cacheDir: typeof o['cache-dir'] === 'string' ? o['cache-dir'] : undefined,
      offline: o.offline === true ? true : undefined,
      signal: ctx.signal,
      onProgress,
    });
    const seconds = (performance.now() - started) / 1000;
    if (o.json) {
      ctx.stdout(JSON.stringify({ ...model, seconds: Number(seconds.toFixed(3)) }));
    } else {
      const how = model.fromCache ? 'already in the cache' : `downloaded ${mb(model.downloadedBytes)} MB in ${seconds.toFixed(1)} s`;
      ctx.stdout(`${model.repoId}@${model.sha.slice(0, 12)} (${model.onnxFile}): ${how}\n${model.dir}\nUse it with --encoder ${model.repoId}${model.revision !== 'main' ? `@${model.revision}` : ''}`);
    }
    return 0;
  },
};
