/**
 * Asking the user before work that costs money (LLM batches): `--yes` answers for them; otherwise
 * the question goes to the terminal when there is one, and without a terminal the answer is no.
 */
import * as readline from 'node:readline/promises';

/** True when the user agrees. `assumeYes` (--yes) skips the question. */
export async function confirmCost(question: string, assumeYes: boolean, log: (line: string) => void): Promise<boolean> {
  if (assumeYes) return true;
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    log(`${question} — not confirmed: run again with --yes to go ahead`);
    return false;
  }
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}
