import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));

function sourceFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => join(folder, file));
}

/** The relative imports of a file, resolved to paths from the repository root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((match) => match[1] ?? '');
  return specifiers.map((specifier) => relative(root, join(root, file, '..', specifier)));
}

// STYLE.md: cli -> mock, contracts -> src. The library core must stay usable without the mock or the suites.
describe('imports point one way', () => {
  it('src/ (except the CLI) imports nothing from mock/ or contracts/', () => {
    const offenders = sourceFiles('src')
      .filter((file) => !file.startsWith(join('src', 'cli')))
      .flatMap((file) => importsOf(file).map((target) => `${file} -> ${target}`))
      .filter((edge) => / -> (mock|contracts)\//.test(edge));
    expect(offenders).toEqual([]);
  });

  it('mock/ never imports contracts/ or the CLI, and contracts/ never imports the CLI', () => {
    const offenders = [...sourceFiles('mock'), ...sourceFiles('contracts')]
      .flatMap((file) => importsOf(file).map((target) => `${file} -> ${target}`))
      .filter((edge) => / -> src\/cli\//.test(edge) || /^mock\/.* -> contracts\//.test(edge));
    expect(offenders).toEqual([]);
  });

  it('contracts/ never imports mock/: the CLI, the composition root, hands the drift check its reference', () => {
    const offenders = sourceFiles('contracts')
      .flatMap((file) => importsOf(file).map((target) => `${file} -> ${target}`))
      .filter((edge) => / -> mock\//.test(edge));
    expect(offenders).toEqual([]);
  });
});

// Every request to a vendor goes through src/vendor/vendor-request.ts (no redirect followed, the answer bounded):
// a second caller of fetch would be a second, unguarded way for the key to leave.
describe('one way to the vendor', () => {
  it('no library, mock or suite code but the vendor request calls fetch (the referee taps only mocks and Prism)', () => {
    const allowed = new Set([
      join('src', 'vendor', 'vendor-request.ts'),
      join('contracts', 'referee', 'recording-tap.ts'),
    ]);
    const callers = [...sourceFiles('src'), ...sourceFiles('mock'), ...sourceFiles('contracts')].filter(
      (file) => /\bfetch\s*\(/.test(readFileSync(join(root, file), 'utf8')) && !allowed.has(file),
    );
    expect(callers).toEqual([]);
  });
});
