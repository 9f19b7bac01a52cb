/** The builtin runner: the TensorFlow.js trainer (head and full mode) in this process, unchanged. */
import type { JobOptions } from '../../util/job';
import type { EncoderContext } from '../../encoders/resolve';
import type { TrainOptions, TrainResult } from '../trainer';

export async function trainOnBuiltin(options: TrainOptions): Promise<TrainResult> {
  const { train } = require('../trainer') as typeof import('../trainer');
  return { ...(await train(options)), runner: 'builtin' };
}

export async function resumeOnBuiltin(runDir: string, options: JobOptions & { encoderContext?: EncoderContext }): Promise<TrainResult> {
  const { resumeRun } = require('../trainer') as typeof import('../trainer');
  return { ...(await resumeRun(runDir, options)), runner: 'builtin' };
}
