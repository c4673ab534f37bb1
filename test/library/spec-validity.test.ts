import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { findSpecPath } from '../../src/spec/spec-document.js';

const run = promisify(execFile);
const specPath = findSpecPath();

describe('the OpenAPI document is valid for independent tools', () => {
  it('passes @apidevtools/swagger-parser validation (schema and $refs)', async () => {
    const api = await SwaggerParser.validate(specPath);
    expect((api as { openapi?: string }).openapi).toMatch(/^3\.1\./);
  });

  it('passes `redocly lint` with the recommended-strict ruleset (any finding fails)', async () => {
    const result = await run('npx', ['redocly', 'lint', specPath, '--format', 'json'], {
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    }).catch((error: { stdout: string; stderr: string }) => error);
    const report = JSON.parse(result.stdout) as { totals: { errors: number; warnings: number }; problems: unknown[] };
    expect(report.problems).toEqual([]);
    expect(report.totals.errors).toBe(0);
  });
});
