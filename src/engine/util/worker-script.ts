/**
 * The source that starts a worker thread's script, for SourceWorker: the bundled `dist/<name>.js`
 * beside the bundle that asks for it (the CLI and the engine process), or, when running from the
 * TypeScript sources (tests, benches), `<name>.ts` loaded through tsx. Undefined when neither is
 * there: the caller then does the work on its own thread.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** `callerFile` and `callerDir` are the asking module's __filename and __dirname. */
export function workerScript(callerFile: string, callerDir: string, name: string): string | undefined {
  if (callerFile.endsWith('.ts')) {
    let tsx: string;
    try {
      tsx = createRequire(callerFile).resolve('tsx/cjs');
    } catch {
      return undefined;
    }
    return `require(${JSON.stringify(tsx)});\nrequire(${JSON.stringify(join(callerDir, `${name}.ts`))});`;
  }
  const bundled = join(callerDir, `${name}.js`);
  return existsSync(bundled) ? `require(${JSON.stringify(bundled)});` : undefined;
}
