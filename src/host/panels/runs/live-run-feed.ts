/**
 * While a fine-tune trains, its curves grow in the project's Compare Runs panel: the run's
 * training and evaluation progress (at most one report per interval) asks for a push of the
 * project's running runs to the panel. One push runs at a time; reports that arrive meanwhile
 * cause one more push after it. `close()` waits for the push under way and stops the feed, so
 * a late push cannot show a finished run as running again.
 */
import { throttleProgress, type Progress } from '../../../engine/util/job';

export interface LiveRunFeed {
  onProgress(progress: Progress): void;
  close(): Promise<void>;
}

/** The progress stages that mean new lines in metrics.jsonl. */
const CURVE_STAGES = new Set(['train', 'evaluate']);

export function liveRunFeed(push: () => Promise<void>, intervalMs = 1000): LiveRunFeed {
  let closed = false;
  let again = false;
  let running: Promise<void> | undefined;
  const pushLoop = async () => {
    do {
      again = false;
      await push().catch(() => undefined);
    } while (again && !closed);
    running = undefined;
  };
  const request = () => {
    if (closed) return;
    if (running) again = true;
    else running = pushLoop();
  };
  const throttled = throttleProgress((p) => {
    if (CURVE_STAGES.has(p.stage)) request();
  }, intervalMs);
  return {
    onProgress: (p) => {
      if (!closed && CURVE_STAGES.has(p.stage)) throttled(p);
    },
    close: async () => {
      closed = true;
      await running;
    },
  };
}
