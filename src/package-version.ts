import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { embeddedPackageFile } from './embedded-package-files.js';
import { findSpecPath } from './spec/spec-document.js';

/** The installed package's version, read from its package.json (the package root holds the spec's folder). */
export function packageVersion(): string {
  const text =
    embeddedPackageFile('package.json') ?? readFileSync(join(dirname(dirname(findSpecPath())), 'package.json'));
  const manifest: unknown = JSON.parse(text.toString('utf8'));
  const version = (manifest as { version?: unknown }).version;
  return typeof version === 'string' ? version : 'unknown';
}
