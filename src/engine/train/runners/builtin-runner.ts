/** The builtin runner: the TensorFlow.js trainer (head and full mode) in this process, unchanged. */
import type { JobOptions } from '../../util/job';
import type { EncoderContext } from '../../encoders/provider';
import type { TrainRequest, TrainResult } from '../settings';

export async function trainOnBuiltin(options: TrainRequest): Promise<TrainResult> {
  const { train } = await import('../trainer');
  return { ...(await train(options)), runner: 'builtin' };
}

export async function resumeOnBuiltin(runDir: string, options: JobOptions & { encoderContext?: EncoderContext }): Promise<TrainResult> {
  const { resumeRun } = await import('../trainer');
  return { ...(await resumeRun(runDir, options)), runner: 'builtin' };
}
