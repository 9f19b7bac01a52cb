// Runs every unit test with node's built-in test runner (TypeScript through tsx).
// Usage: node scripts/run-tests.mjs [substring filter]
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...collect(full));
    else if (name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}
const filter = process.argv[2];
const files = collect('test/unit').filter((f) => !filter || f.includes(filter)).sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// Tests that spawn `embedlab` run bin/embedlab.js, i.e. the bundle dist/cli.js: build it from the current sources.
if (files.some((f) => /[\\/](cli|project)[\\/]/.test(f))) {
  const build = spawnSync(process.execPath, ['scripts/build.mjs', '--only', 'cli'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) {
    console.error('building dist/cli.js failed');
    process.exit(1);
  }
}
const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
});
process.exit(res.status ?? 1);
