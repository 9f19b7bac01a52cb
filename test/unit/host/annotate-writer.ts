/**
 * Child process for crash-safety.test.ts: scores pairs through the host's annotation
 * source (the code path of the annotation panel) as fast as it can, and tells the parent
 * after each save resolved. The parent kills it with SIGKILL mid-stream.
 *   node --import tsx test/unit/host/annotate-writer.ts <projectDir>
 */
import './vscode-stub';
import { ProjectAnnotationSource } from '../../../src/host/sources/project-annotation-source';

const dir = process.argv[2];
const ctx = {
  config: () => ({ annotator: 'crash-test' }),
  refreshProjects: () => undefined,
  extension: { workspaceState: { get: () => undefined, update: async () => undefined } },
};
const source = new ProjectAnnotationSource(ctx as never, dir, 'news', 'builtin', 'crash');

async function main(): Promise<void> {
  for (let i = 0; ; i++) {
    await source.score(`r${i}`, `r${i + 1}`, (i % 5) / 4, i % 7 === 0 ? `note ${i}` : undefined);
    process.send?.({ acked: i });
  }
}

void main();
