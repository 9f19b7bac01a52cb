import './vscode-stub';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { commandCatalog, COMMAND_CATEGORY } from '../../../src/host/commands/catalog';
import { commandTable } from '../../../src/host/commands/index';
import { settingsSchema, CONFIG_SECTION } from '../../../src/host/config-schema';

interface Manifest {
  engines: { vscode: string };
  main: string;
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category: string }[];
    configuration: { properties: Record<string, { type: string; default: unknown; enum?: string[] }> };
    menus: Record<string, { command: string }[]>;
    views: Record<string, { id: string }[]>;
  };
}

const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as Manifest;
const contributed = manifest.contributes.commands.map((c) => c.command);

test('every contributed command has a handler, and every handler is contributed', () => {
  const handled = Object.keys(commandTable);
  assert.deepEqual([...contributed].sort(), [...handled].sort());
  for (const id of handled) assert.equal(typeof commandTable[id as keyof typeof commandTable], 'function', id);
});

test('the issue\'s commands are all there, under the "Embedding Lab" category', () => {
  const titles = manifest.contributes.commands.map((c) => c.title);
  for (const t of ['New Project', 'Import Data', 'Clean Data', 'Choose Encoder', 'Embed', 'Cluster', 'Open Cluster Map', 'Annotate Pairs', 'Fine-tune…', 'Compare Runs', 'Find Similar', 'Export Model', 'Export Clusters (CSV)']) {
    assert.ok(titles.includes(t), `missing command "${t}"`);
  }
  for (const c of manifest.contributes.commands) {
    assert.equal(c.category, COMMAND_CATEGORY);
    assert.match(c.command, /^embeddingLab\.[a-z]+[A-Za-z]*$/);
  }
  assert.equal(new Set(contributed).size, contributed.length, 'command ids are unique');
  assert.equal(commandCatalog.length, contributed.length);
});

test('menus only name contributed commands; the project view is contributed', () => {
  for (const [menu, items] of Object.entries(manifest.contributes.menus)) {
    for (const item of items) assert.ok(contributed.includes(item.command), `${menu} names unknown command ${item.command}`);
  }
  const views = Object.values(manifest.contributes.views).flat().map((v) => v.id);
  assert.ok(views.includes('embeddingLab.project'));
});

test('activation on a workspace with a project; VS Code 1.100; bundled main', () => {
  assert.ok(manifest.activationEvents.includes('workspaceContains:**/project.json'));
  assert.equal(manifest.engines.vscode, '^1.100.0');
  assert.equal(manifest.main, './dist/extension.js');
});

test('settings in package.json match the typed schema', () => {
  const props = manifest.contributes.configuration.properties;
  const keys = Object.keys(settingsSchema).map((k) => `${CONFIG_SECTION}.${k}`);
  assert.deepEqual(Object.keys(props).sort(), keys.sort());
  for (const [key, info] of Object.entries(settingsSchema)) {
    const p = props[`${CONFIG_SECTION}.${key}`];
    assert.equal(p.type, info.type, key);
    assert.deepEqual(p.default, info.default, key);
  }
  for (const key of Object.keys(props)) assert.doesNotMatch(key, /token|apikey|api_key|secret|password/i, 'secrets never go in settings');
});
