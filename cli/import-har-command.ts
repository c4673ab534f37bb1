import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Command } from 'commander';
import { writeCassetteFile } from '../src/cassette/cassette-file.js';
import { importHar, MAX_HAR_BYTES, writeImportedImages } from '../src/cassette/har-import.js';
import { readRegularFile } from '../src/regular-file-read.js';
import { unwritableDirectoryReason } from '../src/writable-directory.js';
import { COULD_NOT_RUN_EXIT_CODE, PARTIAL_RECORDING_EXIT_CODE } from './exit-codes.js';

interface ImportHarOptions {
  out: string;
  force?: boolean;
  keepUndocumented?: boolean;
}

/** What the command touches outside itself, so a test can run it in-process. */
export interface ImportHarIo {
  stderr: (text: string) => void;
  setExitCode: (code: number) => void;
}

const processIo: ImportHarIo = {
  stderr: (text) => process.stderr.write(text),
  setExitCode: (code) => {
    process.exitCode = code;
  },
};

/**
 * `accuauth-kit import-har FILE.har --out cassette.yaml`: the predict_gender calls a team already made (browser
 * devtools, a proxy, Playwright's recordHar) become a cassette, with no call spent. Exit 0 every call imported, 1
 * some not (each named, the rest written), 2 usage, an unreadable HAR, or no call to import.
 */
export function importHarCommand(io: ImportHarIo = processIo): Command {
  return new Command('import-har')
    .description('turn the predict_gender calls of a HAR file into a cassette; exit 0 all, 1 partial, 2 usage')
    .argument('<file>', 'the HAR file (devtools "Save all as HAR with content", a proxy, Playwright recordHar)')
    .requiredOption('--out <file>', 'the cassette to write (YAML); the images are written beside it, named by sha256')
    .option('--force', 'overwrite an existing cassette')
    .option('--keep-undocumented', 'also keep answers the spec does not document (named on stderr)')
    .action((file: string, options: ImportHarOptions) => runImportHar(file, options, io));
}

async function runImportHar(file: string, options: ImportHarOptions, io: ImportHarIo): Promise<void> {
  const say = (text: string) => io.stderr(`accuauth-kit import-har: ${text}\n`);
  const fail = (text: string) => {
    say(text);
    io.setExitCode(COULD_NOT_RUN_EXIT_CODE);
  };
  const out = resolve(options.out);
  if (existsSync(out) && !options.force) return fail(`${options.out} exists; pass --force to overwrite it`);
  const unwritable = unwritableDirectoryReason(dirname(out));
  if (unwritable) return fail(`${unwritable} (--out)`);
  const read = await readRegularFile(file, { what: 'HAR file', maxBytes: MAX_HAR_BYTES });
  if (!read.ok) return fail(read.reason);
  const result = await importHar(read.text, {
    cassettePath: out,
    ...(options.keepUndocumented ? { keepUndocumented: true } : {}),
  });
  if (!result.ok) return fail(`${file}: ${result.reason}`);
  const { cassette, images, notImported, duplicates, otherEntries, undocumentedKept } = result.imported;
  for (const call of notImported) say(`not imported: ${call.entry}: ${call.reason}`);
  for (const call of undocumentedKept)
    say(`kept although undocumented (--keep-undocumented): ${call.entry}: ${call.reason}`);
  const recorded = cassette.recordings.length;
  const tally =
    `${otherEntries} other entr${otherEntries === 1 ? 'y' : 'ies'} skipped` +
    (duplicates > 0 ? `, ${duplicates} repeated image${duplicates === 1 ? '' : 's'} kept once` : '');
  if (recorded === 0) {
    return fail(
      notImported.length === 0
        ? `${file} holds no POST to /face/predict_gender (${tally}); nothing written`
        : `none of the ${notImported.length} predict_gender calls could be imported (named above; ${tally}); nothing written`,
    );
  }
  try {
    await mkdir(dirname(out), { recursive: true });
    await writeImportedImages(images);
  } catch (error) {
    return fail(
      `cannot write the images beside ${options.out} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  const written = await writeCassetteFile(out, cassette, { overwrite: options.force === true });
  if (!written.ok) return fail(written.reason);
  say(
    `imported ${recorded} call${recorded === 1 ? '' : 's'} into ${options.out} (images beside it); ${tally}` +
      (notImported.length > 0 ? `; ${notImported.length} predict_gender calls not imported (named above)` : ''),
  );
  io.setExitCode(notImported.length > 0 ? PARTIAL_RECORDING_EXIT_CODE : 0);
}
