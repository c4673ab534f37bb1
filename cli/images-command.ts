import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Command } from 'commander';
import { resolveDecisions } from '../mock/core/index.js';
import type { DecisionProfile } from '../src/generated/decisions.js';
import { type CorpusManifest, imageCorpus } from '../src/image/image-corpus.js';
import { unwritableDirectoryReason } from '../src/writable-directory.js';
import { COULD_NOT_RUN_EXIT_CODE } from './exit-codes.js';

export type CorpusWrite =
  | { ok: true; dir: string; manifest: CorpusManifest; manifestPath: string }
  | { ok: false; reason: string };

/**
 * Writes the image corpus into `out`: each image under `file/`, its base64 forms under `image_base64/FORM/`, and
 * manifest.json with what the mock answers each file under `decisions`. Files already there are overwritten.
 */
export async function writeImageCorpus(out: string, decisions: DecisionProfile): Promise<CorpusWrite> {
  const dir = resolve(out);
  // Judged before mkdir: a recursive mkdir under /proc never returns.
  const unwritable = unwritableDirectoryReason(dir);
  if (unwritable) return { ok: false, reason: unwritable };
  const { files, manifest } = imageCorpus(decisions);
  const manifestPath = join(dir, 'manifest.json');
  try {
    for (const { entry, content } of files) {
      const path = join(dir, entry.file);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content);
    }
    await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { ok: false, reason: `cannot write into ${dir} (${code}); choose a writable directory for --out` };
  }
  return { ok: true, dir, manifest, manifestPath };
}

/** The decisions of a mock config file (as `drift --config` reads them: the rest scripts a team's tests). */
async function decisionsOf(
  path: string | undefined,
): Promise<{ ok: true; decisions: DecisionProfile } | { ok: false; reason: string }> {
  if (path === undefined) return { ok: true, decisions: resolveDecisions(undefined) };
  const { readMockConfigFile } = await import('../mock/core/config-checks.js');
  const checked = readMockConfigFile(path);
  return checked.ok ? { ok: true, decisions: resolveDecisions(checked.config.decisions) } : checked;
}

export function imagesCommand(): Command {
  return new Command('images')
    .description(
      "write an image corpus at the vendor's limits and the usual pitfalls, with a manifest of what the mock answers each",
    )
    .requiredOption('--out <dir>', 'the directory to write the images and manifest.json into')
    .option('--config <file>', "the mock config whose decisions the manifest's answers follow (default: the spec's)")
    .action(async (options: { out: string; config?: string }) => {
      const decided = await decisionsOf(options.config);
      if (!decided.ok) {
        process.stderr.write(`accuauth-kit images: ${decided.reason} (--config)\n`);
        process.exitCode = COULD_NOT_RUN_EXIT_CODE;
        return;
      }
      const written = await writeImageCorpus(options.out, decided.decisions);
      if (!written.ok) {
        process.stderr.write(`accuauth-kit images: ${written.reason}\n`);
        process.exitCode = COULD_NOT_RUN_EXIT_CODE;
        return;
      }
      const entries = written.manifest.entries;
      const refused = entries.filter((entry) => entry.status !== 'OK').length;
      process.stdout.write(
        `wrote ${entries.length} files into ${written.dir} (${entries.length - refused} answered OK, ${refused} refused` +
          ` under ${options.config === undefined ? "the spec's decisions" : `the decisions of ${options.config}`})\n` +
          `wrote ${written.manifestPath}\n`,
      );
    });
}
