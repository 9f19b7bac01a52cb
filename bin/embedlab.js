#!/usr/bin/env node
'use strict';
// The `embedlab` command: the bundled CLI, dist/cli.js. `npm ci` builds it (the "prepare"
// script); after changing the sources, `npm run build` (or `node scripts/build.mjs --only cli`).
const path = require('node:path');
const fs = require('node:fs');
const bundled = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(bundled)) {
  process.stderr.write(`embedlab: ${bundled} is missing: run "npm run build" in ${path.dirname(__dirname)}\n`);
  process.exit(1);
}
require(bundled);
