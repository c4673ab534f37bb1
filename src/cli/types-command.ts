import { copyFile, mkdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Command } from 'commander';
import { findSpecPath } from '../spec/spec-document.js';

/** Where the generated types sit in this package: beside the spec's folder, as committed (and shipped). */
function generatedTypesPath(): string {
  return join(dirname(dirname(findSpecPath())), 'src', 'generated', 'predict-gender.ts');
}

export interface WrittenFiles {
  types: string;
  spec?: string;
}

/**
 * Copies the generated types (and optionally the spec) into another project. A copy of the committed file, not a
 * fresh generation: the file is tested fresh against the spec, and the target project needs no openapi-typescript.
 * `out` is a file path, or a directory (existing, or written with a trailing slash) that receives predict-gender.ts.
 */
export async function writeTypes(out: string, options: { withSpec?: boolean } = {}): Promise<WrittenFiles> {
  const source = generatedTypesPath();
  const isDirectory = out.endsWith('/') || (await stat(out).catch(() => undefined))?.isDirectory() === true;
  const target = resolve(isDirectory ? join(out, basename(source)) : out);
  await mkdir(dirname(target), { recursive: true });
  await copyFile(source, target);
  if (!options.withSpec) return { types: target };
  const specTarget = join(dirname(target), basename(findSpecPath()));
  await copyFile(findSpecPath(), specTarget);
  return { types: target, spec: specTarget };
}

export function typesCommand(): Command {
  return new Command('types')
    .description('write the TypeScript types generated from the spec into another project')
    .requiredOption('--out <path>', 'file to write, or a directory to write predict-gender.ts into')
    .option('--with-spec', 'also write the OpenAPI spec beside the types', false)
    .action(async (options: { out: string; withSpec: boolean }) => {
      const written = await writeTypes(options.out, { withSpec: options.withSpec });
      process.stdout.write(`wrote ${written.types}\n`);
      if (written.spec) process.stdout.write(`wrote ${written.spec}\n`);
    });
}
