import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];
// Registered once per test file (each file loads its own copy of this module): the file's folders go when it ends.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder under the system's temp folder, removed when the test file that made it has run. */
export function scratchFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `accuauth-${prefix}-`));
  made.push(dir);
  return dir;
}
