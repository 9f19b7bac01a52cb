#!/usr/bin/env node
'use strict';
// The `embedlab` command. It runs the TypeScript sources through tsx, so a fresh
// `npm ci` is all the set-up it needs; the bundled build is used when present.
const path = require('node:path');
const fs = require('node:fs');
const bundled = path.join(__dirname, '..', 'dist', 'cli.js');
if (process.env.EMBEDLAB_USE_DIST === '1' && fs.existsSync(bundled)) {
  require(bundled);
} else {
  require('tsx/cjs/api').register();
  require(path.join(__dirname, '..', 'src', 'cli', 'main.ts'));
}
