/**
 * Thrown to an in-process caller (`startMock`, `createMswHandlers`, `core.replaceScenarios`, `core.replaceKeys`)
 * for a config that does not validate; `reason` names the bad field and what was expected, word for word what the
 * server prints and the admin API answers for the same mistake.
 */
export class MockConfigError extends Error {
  constructor(readonly reason: string) {
    super(`invalid mock config: ${reason}`);
    this.name = 'MockConfigError';
  }
}
