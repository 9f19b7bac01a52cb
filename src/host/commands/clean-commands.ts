/** Clean Data: opens the Clean Data panel (switches per rule, paged examples, Apply) for a dataset. */
import type { CommandFactory } from './types';
import { pickProject, pickDataset, showError } from './args';

export const cleanData: CommandFactory = (ctx) => async (arg?: unknown) => {
  const project = await pickProject(ctx, arg);
  const dataset = project && (await pickDataset(project, arg));
  if (!project || !dataset) return;
  try {
    const { CleanPanel } = await import('../panels/clean/clean-panel');
    const { ProjectCleanSource } = await import('../sources/project-clean-source');
    CleanPanel.show(ctx.extension.extensionUri, new ProjectCleanSource(ctx, project.dir, dataset.name, project.name), (m) => ctx.output.info(`[clean] ${m}`));
  } catch (err) {
    await showError(ctx, 'Clean Data', err);
  }
};
