// The lint that `npm test` runs (eslint.config.mjs) on a small tree in a temporary folder:
// each layer violation, a runtime import cycle, and clean files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint, type Linter } from 'eslint';

const REPO = path.resolve(__dirname, '../../..');

const files: Record<string, string> = {
  'src/protocol/messages.ts': 'export interface Ping { kind: "ping" }\nexport const PING = "ping";\n',
  'src/engine/util.ts': 'export const one = 1;\n',
  'src/host/panel.ts': "import * as vscode from 'vscode';\nexport const panel = vscode;\n",
  'src/extension.ts': "import * as vscode from 'vscode';\nimport { panel } from './host/panel';\nexport const ext = [vscode, panel];\n",
  // Violations:
  'src/engine/uses-vscode.ts': "import * as vscode from 'vscode';\nexport const v = vscode;\n",
  'src/engine/uses-host.ts': "import { panel } from '../host/panel';\nexport const h = panel;\n",
  'src/cli/uses-host.ts': "import { panel } from '../host/panel';\nexport const c = panel;\n",
  'src/protocol/uses-engine.ts': "import { one } from '../engine/util';\nexport const p = one;\n",
  'webview/uses-engine.ts': "import { one } from '../src/engine/util';\nexport const w = one;\n",
  'webview/uses-vscode.ts': "import * as vscode from 'vscode';\nexport const wv = vscode;\n",
  'src/engine/cycle-a.ts': "import { b } from './cycle-b';\nexport const a = () => b();\n",
  'src/engine/cycle-b.ts': "import { a } from './cycle-a';\nexport const b = () => a;\n",
  // Clean: the webview's own files and src/protocol; a cycle through `import type` only (erased at run time).
  'webview/view.ts': "import { PING, type Ping } from '../src/protocol/messages';\nimport { helper } from './helper';\nexport const msg: Ping = { kind: PING };\nexport const h = helper;\n",
  'webview/helper.ts': 'export const helper = 2;\n',
  'src/engine/types-a.ts': "import type { B } from './types-b';\nexport interface A { b?: B }\n",
  'src/engine/types-b.ts': "import type { A } from './types-a';\nexport interface B { a?: A }\n",
};

async function lintTree(): Promise<Map<string, string[]>> {
  const root = mkdtempSync(path.join(tmpdir(), 'embedlab-lint-'));
  try {
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    }
    const config = (await import(pathToFileURL(path.join(REPO, 'eslint.config.mjs')).href)) as { createConfig(root: string): Linter.Config[] };
    const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: config.createConfig(root) });
    const results = await eslint.lintFiles(Object.keys(files));
    return new Map(results.map((r) => [path.relative(root, r.filePath).split(path.sep).join('/'), r.messages.map((m) => `${m.ruleId}: ${m.message}`)]));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

test('the lint fails each layer violation and a runtime import cycle, and passes clean files', async () => {
  const found = await lintTree();
  const expect = (file: string, rule: string, text: RegExp) => {
    const messages = found.get(file) ?? [];
    assert.ok(messages.some((m) => m.startsWith(`${rule}: `) && text.test(m)), `${file}: expected ${rule} ${text}, got ${JSON.stringify(messages)}`);
  };
  expect('src/engine/uses-vscode.ts', 'no-restricted-imports', /Only src\/host/);
  expect('src/engine/uses-host.ts', 'import-x/no-restricted-paths', /src\/engine must not import src\/host/);
  expect('src/cli/uses-host.ts', 'import-x/no-restricted-paths', /src\/cli must not import src\/host/);
  expect('src/protocol/uses-engine.ts', 'import-x/no-restricted-paths', /src\/protocol must not import src\/engine/);
  expect('webview/uses-engine.ts', 'import-x/no-restricted-paths', /webview\/ may import only src\/protocol/);
  expect('webview/uses-vscode.ts', 'no-restricted-imports', /webview\/ may import only|Only src\/host/);
  expect('src/engine/cycle-a.ts', 'import-x/no-cycle', /Dependency cycle/);
  expect('src/engine/cycle-b.ts', 'import-x/no-cycle', /Dependency cycle/);
  for (const clean of ['src/protocol/messages.ts', 'src/engine/util.ts', 'src/host/panel.ts', 'src/extension.ts', 'webview/view.ts', 'webview/helper.ts', 'src/engine/types-a.ts', 'src/engine/types-b.ts']) {
    assert.deepEqual(found.get(clean), [], `${clean} is clean`);
  }
});
