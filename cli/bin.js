#!/usr/bin/env node
// `cauce` entry point: runs cli/main.ts through tsx (no build step).
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const tsx = require.resolve('tsx/cli', { paths: [path.join(__dirname, '..')] });
const result = spawnSync(process.execPath, [tsx, path.join(__dirname, 'main.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
if (result.error) {
  console.error(result.error.message);
  process.exit(1);
}
process.exit(result.status ?? 1);
