import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeJpeg } from '../../src/image/sample-images.js';

/** The scripted clients of test/support/clients/, each a small program an integrating team might have written. */
export type ScriptedClient = 'good-client' | 'naive-client' | 'storm-client' | 'no-cache-client';

/** `count` distinct valid JPEGs (150x150, one seed each, from `firstSeed`). */
export function distinctImages(count: number, firstSeed = 1): Buffer[] {
  return Array.from({ length: count }, (_, i) => makeJpeg({ width: 150, height: 150, seed: firstSeed + i }));
}

/**
 * Runs a scripted client with `node` against the mock at `url` with these images (written to a temporary
 * directory, passed as paths), and resolves with its output once it exits; rejects with its stderr when it fails,
 * so a broken client never passes for a well-behaved one.
 */
export async function runScriptedClient(
  client: ScriptedClient,
  url: string,
  images: readonly Uint8Array[],
  env: Record<string, string> = {},
): Promise<{ stdout: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'accuauth-client-'));
  try {
    const paths = images.map((image, i) => {
      const path = join(dir, `image-${i}.jpg`);
      writeFileSync(path, image);
      return path;
    });
    const program = fileURLToPath(new URL(`./clients/${client}.mjs`, import.meta.url));
    const child = spawn(process.execPath, [program, url, ...paths], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`${client} exited with ${code}:\n${stderr}`);
    return { stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
