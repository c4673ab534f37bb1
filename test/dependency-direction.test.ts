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

/** The relative imports of a file (static and dynamic), resolved to paths from the repository root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((match) => match[1] ?? '');
  return specifiers.map((specifier) => relative(root, join(root, file, '..', specifier)));
}

/**
 * STYLE.md: `cli -> mock, contracts -> src`. Each layer names the top folders it must never import: the library
 * stays usable without the mock, the suites or the CLI; the mock and the suites know nothing of each other (the
 * CLI, the composition root, hands the drift check its reference mock); nothing imports the CLI.
 */
const forbidden: Record<string, readonly string[]> = {
  src: ['mock', 'contracts', 'cli'],
  mock: ['contracts', 'cli'],
  contracts: ['mock', 'cli'],
};

describe('imports point one way: cli -> mock, contracts -> src', () => {
  for (const [layer, never] of Object.entries(forbidden)) {
    it(`${layer}/ imports nothing from ${never.map((folder) => `${folder}/`).join(', ')}`, () => {
      const offenders = sourceFiles(layer)
        .flatMap((file) => importsOf(file).map((target) => `${file} -> ${target}`))
        .filter((edge) => never.some((folder) => edge.includes(` -> ${folder}/`)));
      expect(offenders).toEqual([]);
    });
  }

  it('the rule reads real imports (each layer above src/ does import it)', () => {
    for (const layer of ['mock', 'contracts', 'cli']) {
      expect(
        sourceFiles(layer)
          .flatMap(importsOf)
          .some((target) => target.startsWith('src/')),
      ).toBe(true);
    }
  });
});

/**
 * The core has one way in: `mock/core/index.ts`, plus `config-checks.ts` for the config's validator alone (it loads
 * ajv, so it is imported only where a config is given). Adapters, the composition root, the Redis store, the client
 * report and the CLI reach nothing else inside the core, so what it offers them is one file to read.
 */
describe('one way into the core', () => {
  const entries = new Set([join('mock', 'core', 'index.ts'), join('mock', 'core', 'config-checks.ts')]);
  const core = `${join('mock', 'core')}/`;
  const outside = ['src', 'mock', 'contracts', 'cli'].flatMap(sourceFiles).filter((file) => !file.startsWith(core));
  const coreImports = outside.flatMap((file) =>
    importsOf(file)
      .filter((target) => target.startsWith(core))
      .map((target) => ({ file, target: target.replace(/\.js$/, '.ts') })),
  );

  it('no file outside mock/core imports a core module other than its entries', () => {
    const offenders = coreImports
      .filter(({ target }) => !entries.has(target))
      .map(({ file, target }) => `${file} -> ${target}`);
    expect(offenders).toEqual([]);
  });

  it('the rule reads real imports (the adapters do import the core through its index)', () => {
    const through = new Set(coreImports.map(({ file }) => file));
    for (const adapter of [
      'express/express-handler.ts',
      'msw/msw-handlers.ts',
      'admin/admin-handler.ts',
      'start-mock.ts',
    ]) {
      expect(through.has(join('mock', adapter))).toBe(true);
    }
  });
});

// Every request to a vendor goes through src/vendor/vendor-request.ts (no redirect followed, the answer bounded):
// a second caller of fetch would be a second, unguarded way for the key to leave.
describe('one way to the vendor', () => {
  it('no library, mock or suite code but the vendor request calls fetch (the others read only mocks and Prism)', () => {
    const allowed = new Set([
      join('src', 'vendor', 'vendor-request.ts'),
      // The referee taps the mock and Prism; the client report reads a running mock's admin API.
      join('contracts', 'referee', 'recording-tap.ts'),
      join('mock', 'report', 'mock-judgement.ts'),
    ]);
    const callers = [...sourceFiles('src'), ...sourceFiles('mock'), ...sourceFiles('contracts')].filter(
      (file) => /\bfetch\s*\(/.test(readFileSync(join(root, file), 'utf8')) && !allowed.has(file),
    );
    expect(callers).toEqual([]);
  });
});
