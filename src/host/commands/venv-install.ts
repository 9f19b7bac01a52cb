/**
 * Runs a venv plan's commands in order. When a command fails or is cancelled, a venv folder
 * the plan created is removed again, so a declined or broken install leaves nothing behind; a
 * folder that was there before (a venv the user already had) is left as it was.
 */
import { existsSync, promises as fs } from 'node:fs';
import type { VenvPlan } from './fine-tune-runner';

/** Runs one command of the plan (its index given); rejects when it fails or is cancelled. */
export type PlanCommandRunner = (command: string[], index: number) => Promise<void>;

export async function runVenvPlan(plan: VenvPlan, run: PlanCommandRunner): Promise<void> {
  const fresh = !existsSync(plan.dir);
  try {
    for (const [i, command] of plan.commands.entries()) await run(command, i);
  } catch (err) {
    if (fresh) await fs.rm(plan.dir, { recursive: true, force: true });
    throw err;
  }
}
