import { copyFile, mkdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { Command } from 'commander';
import { findSpecPath } from '../src/spec/spec-document.js';
import { unwritableDirectoryReason } from '../src/writable-directory.js';
import { COULD_NOT_RUN_EXIT_CODE } from './exit-codes.js';

/** Where the generated types sit in this package: beside the spec's folder, as committed (and shipped). */
function generatedTypesPath(): string {
  return join(dirname(dirname(findSpecPath())), 'src', 'generated', 'predict-gender.ts');
}

export interface WrittenFiles {
  types: string;
  spec?: string;
}

export type TypesWrite = { ok: true; written: WrittenFiles } | { ok: false; reason: string };

/**
 * Copies the generated types (and optionally the spec) into another project. A copy of the committed file, not a
 * fresh generation: the file is tested fresh against the spec, and the target project needs no openapi-typescript.
 * `out` is a `.ts` file path; anything else (an existing directory, `dir/`, `new-dir`) is a directory that receives
 * predict-gender.ts, so `--out src/vendor` never writes an extension-less file named `vendor`.
 */
export async function writeTypes(out: string, options: { withSpec?: boolean } = {}): Promise<TypesWrite> {
  const source = generatedTypesPath();
  const existing = await stat(out).catch(() => undefined);
  const isFile = existing ? !existing.isDirectory() : extname(out) === '.ts' && !out.endsWith('/');
  const target = resolve(isFile ? out : join(out, basename(source)));
  // Judged before mkdir: a recursive mkdir under /proc never returns.
  const unwritable = unwritableDirectoryReason(dirname(target));
  if (unwritable) return { ok: false, reason: unwritable };
  try {
    await mkdir(dirname(target), { recursive: true });
    await copyFile(source, target);
    if (!options.withSpec) return { ok: true, written: { types: target } };
    const specTarget = join(dirname(target), basename(findSpecPath()));
    await copyFile(findSpecPath(), specTarget);
    return { ok: true, written: { types: target, spec: specTarget } };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { ok: false, reason: `cannot write ${target} (${code}); choose a writable path for --out` };
  }
}

export function typesCommand(): Command {
  return new Command('types')
    .description('write the TypeScript types generated from the spec into another project')
    .requiredOption('--out <path>', 'a .ts file to write, or a directory to write predict-gender.ts into')
    .option('--with-spec', 'also write the OpenAPI spec beside the types', false)
    .action(async (options: { out: string; withSpec: boolean }) => {
      const result = await writeTypes(options.out, { withSpec: options.withSpec });
      if (!result.ok) {
        process.stderr.write(`accuauth-kit types: ${result.reason}\n`);
        process.exitCode = COULD_NOT_RUN_EXIT_CODE;
        return;
      }
      process.stdout.write(`wrote ${result.written.types}\n`);
      if (result.written.spec) process.stdout.write(`wrote ${result.written.spec}\n`);
    });
}
