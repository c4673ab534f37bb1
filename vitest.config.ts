import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/**/*.test.ts',
      'contracts/**/*.test.ts',
      'src/**/*.test.ts',
      'mock/**/*.test.ts',
      'cli/**/*.test.ts',
    ],
    // Integration tests start real servers on loopback; give slow CI machines room without hiding hangs.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // No network but loopback: Pact's native core and Redocly would otherwise send usage telemetry.
    env: { PACT_DO_NOT_TRACK: 'true', REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  },
});
