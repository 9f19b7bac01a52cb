import * as readline from 'node:readline/promises';
import { escapeControls } from './terminal-text';

/** Asks a yes/no question on the terminal (stderr, so stdout stays clean); "y" or "yes" is yes. */
export async function askOnTerminal(question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${escapeControls(question)} [y/N] `);
    return /^\s*y(es)?\s*$/i.test(answer);
  } finally {
    rl.close();
  }
}
