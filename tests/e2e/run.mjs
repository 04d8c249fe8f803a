// Runs every tests/e2e/*.test.mjs (or those named on the command line), one test at a time, and ends with
// "N passed, M failed". Each test file exports `tests`: an array of { name, run: async () => {} }.

import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { shutdown } from './lib/harness.mjs';
import { stopSharedSystem } from './lib/system.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.test.mjs'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();

let passed = 0;
let failed = 0;
for (const file of files) {
  const { tests } = await import(pathToFileURL(join(here, file)).href);
  for (const t of tests) {
    const label = `${file.replace(/\.test\.mjs$/, '')} › ${t.name}`;
    const start = Date.now();
    try {
      await t.run();
      passed++;
      console.log(`PASS ${label} (${Date.now() - start} ms)`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${label} (${Date.now() - start} ms)\n     ${String(e?.stack ?? e).split('\n').slice(0, 6).join('\n     ')}`);
    }
  }
}
await stopSharedSystem();
await shutdown();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
