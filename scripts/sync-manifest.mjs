// Writes the manifest parts this extension generates into package.json:
// contributes.commands / configuration / views / viewsWelcome / menus and
// activationEvents, from src/host/commands/catalog.ts and src/host/config-schema.ts.
// Touches only those keys; everything else in package.json is kept as is.
//   node --import tsx scripts/sync-manifest.mjs [--check]
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandCatalog, COMMAND_CATEGORY } from '../src/host/commands/catalog.ts';
import { settingsSchema, CONFIG_SECTION } from '../src/host/config-schema.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const file = resolve(root, 'package.json');
const pkg = JSON.parse(readFileSync(file, 'utf8'));
const VIEW = 'embeddingLab.project';

const datasetCommands = ['embeddingLab.embedDataset', 'embeddingLab.clusterDataset', 'embeddingLab.openClusterMap', 'embeddingLab.findSimilar', 'embeddingLab.exportClusters'];
const runCommands = ['embeddingLab.exportModel', 'embeddingLab.compareRuns', 'embeddingLab.renameRun'];
const projectCommands = ['embeddingLab.importData', 'embeddingLab.cleanData', 'embeddingLab.chooseEncoder', 'embeddingLab.annotatePairs', 'embeddingLab.fineTune', 'embeddingLab.compareRuns', 'embeddingLab.exportModel'];

const contributes = {
  ...(pkg.contributes ?? {}),
  commands: commandCatalog.map((c) => ({
    command: c.id,
    title: c.title,
    category: COMMAND_CATEGORY,
    ...(c.icon ? { icon: c.icon } : {}),
  })),
  configuration: {
    title: 'Embedding Lab',
    properties: Object.fromEntries(
      Object.entries(settingsSchema).map(([key, s]) => [
        `${CONFIG_SECTION}.${key}`,
        {
          type: s.type,
          default: s.default,
          description: s.description,
          ...(s.enum ? { enum: [...s.enum] } : {}),
          ...(s.minimum !== undefined ? { minimum: s.minimum } : {}),
          ...(s.maximum !== undefined ? { maximum: s.maximum } : {}),
          ...(s.scope ? { scope: s.scope } : {}),
        },
      ]),
    ),
  },
  viewsContainers: {
    ...(pkg.contributes?.viewsContainers ?? {}),
    activitybar: [{ id: 'embeddingLab', title: 'Embedding Lab', icon: 'media/embedding-lab.svg' }],
  },
  views: {
    ...Object.fromEntries(Object.entries(pkg.contributes?.views ?? {}).filter(([k]) => k !== 'explorer')),
    embeddingLab: [{ id: VIEW, name: 'Project', contextualTitle: 'Embedding Lab' }],
  },
  viewsWelcome: [
    {
      view: VIEW,
      contents: 'No Embedding Lab project in this workspace yet.\n[New Project](command:embeddingLab.newProject)\nA project is a folder with a project.json: datasets, annotations, runs.',
    },
  ],
  menus: {
    ...(pkg.contributes?.menus ?? {}),
    'view/title': commandCatalog.filter((c) => c.viewTitle).map((c) => ({ command: c.id, when: `view == ${VIEW}`, group: 'navigation' })),
    'view/item/context': [
      ...datasetCommands.map((id, i) => ({ command: id, when: `view == ${VIEW} && viewItem == embeddingLab.dataset`, group: `1_dataset@${i}` })),
      ...projectCommands.map((id, i) => ({ command: id, when: `view == ${VIEW} && viewItem == embeddingLab.project`, group: `1_project@${i}` })),
      ...runCommands.map((id, i) => ({ command: id, when: `view == ${VIEW} && viewItem == embeddingLab.run`, group: `1_run@${i}` })),
    ],
    commandPalette: [{ command: 'embeddingLab.cancelJob', when: 'embeddingLab.active' }],
  },
};

// Panels restore after a restart through their serializers (view types in src/host/panels/*).
const activationEvents = [
  'workspaceContains:**/project.json',
  'onWebviewPanel:embeddingLab.clusterMap',
  'onWebviewPanel:embeddingLab.annotatePairs',
  'onWebviewPanel:embeddingLab.compareRuns',
  'onWebviewPanel:embeddingLab.cleanDataPanel',
];
const next = { ...pkg, activationEvents, contributes };
// Keep key order: put activationEvents right before contributes if it was absent.
const ordered = {};
for (const [k, v] of Object.entries(next)) {
  if (k === 'contributes' && !('activationEvents' in pkg)) ordered.activationEvents = activationEvents;
  if (k === 'activationEvents' && !('activationEvents' in pkg)) continue;
  ordered[k] = v;
}
const text = JSON.stringify(ordered, null, 2) + '\n';
if (process.argv.includes('--check')) {
  if (text !== readFileSync(file, 'utf8')) {
    console.error('package.json is out of date: run node --import tsx scripts/sync-manifest.mjs');
    process.exit(1);
  }
  console.log('package.json manifest parts are up to date');
} else {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
  console.log(`package.json: ${contributes.commands.length} commands, ${Object.keys(contributes.configuration.properties).length} settings`);
}
