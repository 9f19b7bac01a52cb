/**
 * The project view: each project with its datasets (sizes), annotations (count), runs
 * (status and key metric) and encoders. Refreshed on file changes in the projects.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { ProjectSummary } from '../project/summary';
import type { ProjectLocator } from '../project/locator';

export type ProjectNodeKind = 'project' | 'group' | 'dataset' | 'annotations' | 'run' | 'encoder' | 'problem' | 'empty';

/** One row of the tree. `projectDir` lets commands run on the row's project. */
export interface ProjectNode {
  kind: ProjectNodeKind;
  label: string;
  projectDir: string;
  description?: string;
  tooltip?: string;
  icon?: string;
  /** For groups: the child rows. */
  children?: ProjectNode[];
  /** Dataset name, run id or encoder spec. */
  key?: string;
  file?: string;
}

function formatCount(n: number | undefined, unit: string): string {
  if (n === undefined) return 'missing';
  return `${n.toLocaleString('en-US')} ${unit}${n === 1 ? '' : 's'}`;
}

/** Turns a project summary into tree rows (pure, exported for tests). */
export function projectNodes(p: ProjectSummary): ProjectNode[] {
  const dir = p.dir;
  const datasets: ProjectNode[] = p.datasets.map((d) => ({
    kind: 'dataset',
    label: d.name,
    description: d.labelled ? `${formatCount(d.records, 'record')} · ${d.labelled.toLocaleString('en-US')} labelled` : formatCount(d.records, 'record'),
    tooltip: path.join(dir, d.file),
    icon: 'database',
    projectDir: dir,
    key: d.name,
    file: path.join(dir, d.file),
  }));
  const runs: ProjectNode[] = p.runs.map((r) => ({
    kind: 'run',
    label: r.name ?? r.id,
    description: [r.status, r.metric, ...(r.tags ?? []).map((t) => `#${t}`)].filter(Boolean).join(' · '),
    tooltip: [r.name ?? r.id, `id: ${r.id}`, r.metric, r.tags?.length ? `tags: ${r.tags.join(', ')}` : undefined].filter(Boolean).join('\n'),
    icon: ({ running: 'sync~spin', failed: 'error', completed: 'pass', cancelled: 'circle-slash', interrupted: 'warning' } as Record<string, string>)[r.status] ?? 'circle-outline',
    projectDir: dir,
    key: r.id,
  }));
  const encoders: ProjectNode[] = p.encoders.map((e) => ({
    kind: 'encoder',
    label: e,
    description: e === p.encoder ? 'current' : undefined,
    icon: 'symbol-namespace',
    projectDir: dir,
    key: e,
  }));
  const empty = (label: string): ProjectNode[] => [{ kind: 'empty', label, projectDir: dir }];
  const nodes: ProjectNode[] = [
    { kind: 'group', label: 'Datasets', description: String(p.datasets.length), icon: 'database', projectDir: dir, children: datasets.length ? datasets : empty('No data yet: Import Data') },
    { kind: 'annotations', label: 'Annotations', description: formatCount(p.annotations, 'pair'), icon: 'comment-discussion', projectDir: dir, file: path.join(dir, 'annotations.jsonl') },
    { kind: 'group', label: 'Runs', description: String(p.runs.length), icon: 'beaker', projectDir: dir, children: runs.length ? runs : empty('No runs yet') },
    { kind: 'group', label: 'Encoders', description: String(p.encoders.length), icon: 'symbol-namespace', projectDir: dir, children: encoders.length ? encoders : empty('builtin (default)') },
  ];
  for (const problem of p.problems) nodes.push({ kind: 'problem', label: problem, icon: 'warning', projectDir: dir });
  return nodes;
}

export class ProjectTreeProvider implements vscode.TreeDataProvider<ProjectNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ProjectNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(private readonly locator: ProjectLocator) {}

  /** Refreshes soon (debounced: file watchers fire in bursts). */
  refresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.changed.fire(undefined), 200);
  }

  getTreeItem(node: ProjectNode): vscode.TreeItem {
    const collapsible =
      node.kind === 'project'
        ? vscode.TreeItemCollapsibleState.Expanded
        : node.children
          ? node.kind === 'group' && node.label === 'Datasets'
            ? vscode.TreeItemCollapsibleState.Expanded
            : vscode.TreeItemCollapsibleState.Collapsed
          : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(node.label, collapsible);
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.contextValue = `embeddingLab.${node.kind}`;
    if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon);
    if (node.kind === 'dataset' && node.file) {
      item.command = { command: 'vscode.open', title: 'Open dataset', arguments: [vscode.Uri.file(node.file)] };
    }
    if (node.kind === 'run') {
      item.command = { command: 'embeddingLab.compareRuns', title: 'Compare Runs', arguments: [node] };
    }
    return item;
  }

  async getChildren(node?: ProjectNode): Promise<ProjectNode[]> {
    if (node) return node.children ?? [];
    const summaries = await this.locator.summaries();
    return summaries.map((p) => ({
      kind: 'project' as const,
      label: p.name,
      description: vscode.workspace.asRelativePath(p.dir) !== p.name ? vscode.workspace.asRelativePath(p.dir) : undefined,
      tooltip: `${p.dir}\nschemaVersion ${p.schemaVersion}`,
      icon: 'project',
      projectDir: p.dir,
      children: projectNodes(p),
    }));
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.changed.dispose();
  }
}
