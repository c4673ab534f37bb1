import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findSpecPath } from '../spec/spec-document.js';

/** The installed package's version, read from its package.json (the package root holds the spec's folder). */
export function packageVersion(): string {
  const manifest: unknown = JSON.parse(readFileSync(join(dirname(dirname(findSpecPath())), 'package.json'), 'utf8'));
  const version = (manifest as { version?: unknown }).version;
  return typeof version === 'string' ? version : 'unknown';
}
