import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  checkStateUrl,
  type FaultConfig,
  type InitialState,
  type JournalEntry,
  type JournalListener,
  type KeyConfig,
  type LatencyConfig,
  type MockState,
  RATE_WINDOW_MS,
  type ReplaceableConfig,
  type Scenario,
  type ScenarioStep,
  StateUnavailableError,
  type StateUsage,
  seededIntegerAt,
} from '../core/index.js';

export interface RedisStateOptions {
  /** `redis://HOST:PORT/DB`; checked with `checkStateUrl` first. */
  url: string;
  /** Prefix of every key and channel, so several mocks (or other applications) can share one Redis. */
  prefix: string;
  initial: InitialState;
}

export type RedisStateResult =
  | { ok: true; state: MockState }
  /** `unreachable`: no Redis answered at the URL; `conflict`: the store was seeded from another config. */
  | { ok: false; problem: 'unreachable' | 'conflict' | 'bad-url'; reason: string };

/** How long a command may take before the request is answered INTERNAL_ERROR rather than left hanging. */
const COMMAND_TIMEOUT_MS = 2000;
const CONNECT_TIMEOUT_MS = 2000;
/** A rate window's sorted set expires this long after its last accepted call (it is empty long before). */
const RATE_KEY_TTL_MS = 60 * RATE_WINDOW_MS;

// Each operation of MockState is one Lua script (or one atomic command): Redis runs a script alone, so no other
// replica's call can come between its read and its write. Keys are passed in KEYS where they are known; the rate
// windows of all keys are found through the set KEYS[n] of key ids (one Redis, not a cluster).
const SCRIPTS = {
  consumeQuota: {
    numberOfKeys: 1,
    lua: `local used = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if used >= tonumber(ARGV[2]) then return 0 end
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
return 1`,
  },
  // The window is a sorted set of accepted instants (score) with a unique member each: exact, never bucketed.
  tryAcquireRate: {
    numberOfKeys: 2,
    lua: `redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
redis.call('SADD', KEYS[2], ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return 1`,
  },
  takeSequenceStep: {
    numberOfKeys: 1,
    lua: `local nxt = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
local len = tonumber(ARGV[2])
if nxt >= len then
  if ARGV[3] ~= '1' or len == 0 then return -1 end
  nxt = 0
end
redis.call('HSET', KEYS[1], ARGV[1], nxt + 1)
return nxt`,
  },
  appendJournal: {
    numberOfKeys: 2,
    lua: `local limit = tonumber(ARGV[2])
if limit > 0 then
  redis.call('RPUSH', KEYS[1], ARGV[1])
  redis.call('LTRIM', KEYS[1], -limit, -1)
  redis.call('INCR', KEYS[2])
end
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1`,
  },
  listJournal: {
    numberOfKeys: 2,
    lua: `return { redis.call('LRANGE', KEYS[1], 0, -1), redis.call('GET', KEYS[2]) or '0' }`,
  },
  clearJournal: {
    numberOfKeys: 2,
    lua: `local held = redis.call('LLEN', KEYS[1])
redis.call('DEL', KEYS[1], KEYS[2])
return held`,
  },
  // KEYS: the rate-window id set, then every other counter; ARGV[1]: the prefix of the rate windows' keys.
  resetState: {
    numberOfKeys: 7,
    lua: `for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do redis.call('DEL', ARGV[1] .. id) end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7])
return 1`,
  },
  // nil: the store holds no config (never seeded, or Redis lost its data); {version}: the caller's cached version
  // is current; {version, fields}: a newer version.
  readConfig: {
    numberOfKeys: 1,
    lua: `local version = redis.call('HGET', KEYS[1], 'version')
if not version then return nil end
if version == ARGV[1] then return { version } end
return { version, redis.call('HMGET', KEYS[1], 'keys', 'scenarios', 'latency', 'faults') }`,
  },
  // The first replica seeds the config; later ones get the fingerprint of the config it was seeded from.
  seedConfig: {
    numberOfKeys: 1,
    lua: `if redis.call('EXISTS', KEYS[1]) == 1 then return { 0, redis.call('HGET', KEYS[1], 'origin') or '' } end
redis.call('HSET', KEYS[1], 'version', ARGV[1], 'origin', ARGV[2], 'keys', ARGV[3], 'scenarios', ARGV[4],
  'latency', ARGV[5], 'faults', ARGV[6])
return { 1, ARGV[2] }`,
  },
  // KEYS[1]: config, KEYS[2]: the rate-window id set, KEYS[3..]: counters to forget. ARGV[1]: '1' to forget the
  // rate windows, ARGV[2]: their keys' prefix, ARGV[3..]: field, value pairs. -1: not seeded, nothing changed.
  replaceConfig: {
    lua: `if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
if ARGV[1] == '1' then
  for _, id in ipairs(redis.call('SMEMBERS', KEYS[2])) do redis.call('DEL', ARGV[2] .. id) end
  redis.call('DEL', KEYS[2])
end
for i = 3, #KEYS do redis.call('DEL', KEYS[i]) end
return version`,
  },
  readUsage: {
    numberOfKeys: 3,
    lua: `local rates = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  rates[#rates + 1] = id
  rates[#rates + 1] = redis.call('ZCOUNT', ARGV[1] .. id, ARGV[2], ARGV[3])
end
return { redis.call('HGETALL', KEYS[1]), rates, redis.call('HGETALL', KEYS[3]) }`,
  },
} as const;

/** The client with the scripts above as commands (ioredis `defineCommand`: EVALSHA, EVAL once if not cached). */
interface ScriptedRedis extends Redis {
  consumeQuota(quota: string, keyId: string, limit: number): Promise<number>;
  tryAcquireRate(
    window: string,
    rateIds: string,
    keyId: string,
    limit: number,
    cutoff: string,
    nowMs: string,
    member: string,
    ttlMs: number,
  ): Promise<number>;
  takeSequenceStep(sequences: string, scenarioId: string, length: number, loop: string): Promise<number>;
  appendJournal(
    journal: string,
    total: string,
    entry: string,
    limit: number,
    channel: string,
    message: string,
  ): Promise<number>;
  listJournal(journal: string, total: string): Promise<[string[], string]>;
  clearJournal(journal: string, total: string): Promise<number>;
  resetState(...keysThenPrefix: string[]): Promise<number>;
  readConfig(config: string, cachedVersion: string): Promise<[string] | [string, (string | null)[]] | null>;
  seedConfig(config: string, ...values: string[]): Promise<[number, string]>;
  replaceConfig(numberOfKeys: number, ...keysThenArgs: string[]): Promise<number>;
  readUsage(
    quota: string,
    rateIds: string,
    sequences: string,
    ...args: string[]
  ): Promise<[string[], (string | number)[], string[]]>;
}

/**
 * The mock's running state in Redis, shared by every mock process pointed at the same Redis and prefix, so that
 * they answer as one vendor. Each MockState operation is one Lua script (atomic in Redis) or one atomic command.
 * Commands fail fast while Redis is away (no offline queue, no resending after a reconnect, a command timeout):
 * a state change is sent at most once, so a request is never counted twice, and the caller gets a
 * `StateUnavailableError` instead of a hang. The client reconnects by itself.
 */
export async function connectRedisState(options: RedisStateOptions): Promise<RedisStateResult> {
  const checked = checkStateUrl(options.url);
  if (!checked.ok) return { ok: false, problem: 'bad-url', reason: checked.reason };
  const { Redis: RedisClient } = await import('ioredis');
  const client = new RedisClient(checked.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // disconnect() arms a timer of this length even for a socket that never opened (ioredis 6): keep it short, or
    // a CLI that cannot reach Redis would wait that long before it exits.
    disconnectTimeout: 100,
    // Reconnect for ever, at most a second apart: the mock recovers by itself when Redis is back.
    retryStrategy: (times) => Math.min(times * 100, 1000),
  }) as ScriptedRedis;
  let lastError = '';
  // Without a listener ioredis prints every failed reconnection; requests report the outage in their answers.
  client.on('error', (error: Error) => {
    lastError = error.message;
  });
  for (const [name, script] of Object.entries(SCRIPTS)) client.defineCommand(name, script);
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    const detail = lastError || (error as Error).message;
    return {
      ok: false,
      problem: 'unreachable',
      reason: `cannot reach the mock's state store at ${checked.shown}: ${detail}`,
    };
  }
  const state = new RedisState(client, options, checked.shown);
  try {
    const seeded = await state.seed();
    if (!seeded.ok) {
      await state.close();
      return { ok: false, problem: 'conflict', reason: seeded.reason };
    }
  } catch (error) {
    client.disconnect();
    const reason = error instanceof StateUnavailableError ? error.reason : (error as Error).message;
    return { ok: false, problem: 'unreachable', reason };
  }
  return { ok: true, state };
}

/** How the replaceable config is kept in Redis: one JSON text per field, `null` for "none". */
function encode(value: unknown): string {
  return JSON.stringify(value ?? null);
}

function decode<T>(text: string | null | undefined): T | undefined {
  if (text === null || text === undefined) return undefined;
  return (JSON.parse(text) as T | null) ?? undefined;
}

class RedisState implements MockState {
  private readonly keys: {
    config: string;
    quota: string;
    rateIds: string;
    ratePrefix: string;
    sequences: string;
    draws: string;
    journal: string;
    journalTotal: string;
    nextAnswers: string;
    channel: string;
  };
  /** Tells this process's journal messages from other replicas' (its own listeners hear them directly). */
  private readonly instance = randomUUID();
  private memberCount = 0;
  private cached: ReplaceableConfig | undefined;
  private readonly listeners = new Set<JournalListener>();
  private readonly resetListeners = new Set<() => void>();
  private subscriber: Redis | undefined;
  /** Settles once the channel's subscription is in place (or could not be made, which the outage answers tell). */
  private subscribed: Promise<void> | undefined;
  private readonly initial: InitialState;
  private readonly origin: string;
  private readonly prefix: string;

  constructor(
    private readonly client: ScriptedRedis,
    options: RedisStateOptions,
    private readonly shownUrl: string,
  ) {
    const p = options.prefix;
    this.prefix = p;
    this.keys = {
      config: `${p}config`,
      quota: `${p}quota`,
      rateIds: `${p}rate-ids`,
      ratePrefix: `${p}rate:`,
      sequences: `${p}sequences`,
      draws: `${p}draws`,
      journal: `${p}journal`,
      journalTotal: `${p}journal-total`,
      nextAnswers: `${p}next-answers`,
      channel: `${p}journal`,
    };
    this.initial = options.initial;
    const { keys, scenarios, latency, faults, seed, journalLimit } = options.initial;
    // What a joining replica must agree on; secrets are hashed with the rest and never stored in clear here.
    this.origin = createHash('sha256')
      .update(JSON.stringify([keys ?? null, scenarios ?? null, latency ?? null, faults ?? null, seed, journalLimit]))
      .digest('hex');
  }

  /**
   * Puts this replica's config in the store if it holds none; a replica whose config differs from the one the
   * store was seeded from is refused, since it would answer differently from the others.
   */
  async seed(): Promise<{ ok: true } | { ok: false; reason: string }> {
    const { keys, scenarios, latency, faults } = this.initial;
    // A version that starts at the seeding instant: if Redis loses its data and is seeded again, the versions
    // after that do not repeat ones a replica compiled before (the core recompiles on a version change only).
    const [, origin] = await this.run(() =>
      this.client.seedConfig(
        this.keys.config,
        String(Date.now()),
        this.origin,
        encode(keys),
        encode(scenarios),
        encode(latency),
        encode(faults),
      ),
    );
    if (origin === this.origin) return { ok: true };
    return {
      ok: false,
      reason:
        `the state store at ${this.shownUrl} (prefix "${this.prefix}") was seeded ` +
        'from a different config (keys, scenarios, latency, faults, seed or journal limit): give every replica the ' +
        "same config, or use another --state-prefix, or delete the prefix's keys to start afresh",
    };
  }

  /** Runs one command, turning a lost or silent Redis into `StateUnavailableError`; a script error is a bug. */
  private async run<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      if (isScriptBug(error)) throw error;
      throw new StateUnavailableError(
        `the mock's state store (Redis at ${this.shownUrl}) is unavailable: ${(error as Error).message}`,
      );
    }
  }

  /** Like `run` for a script that needs the config seeded: when Redis lost it, seed it again and run once more. */
  private async runSeeded(command: () => Promise<number>): Promise<number> {
    const result = await this.run(command);
    if (result !== -1) return result;
    await this.seed();
    return this.run(command);
  }

  async consumeQuota(keyId: string, quota: number): Promise<boolean> {
    return (await this.run(() => this.client.consumeQuota(this.keys.quota, keyId, quota))) === 1;
  }

  async tryAcquireRate(keyId: string, limit: number, nowMs: number): Promise<boolean> {
    this.memberCount += 1;
    const accepted = await this.run(() =>
      this.client.tryAcquireRate(
        `${this.keys.ratePrefix}${keyId}`,
        this.keys.rateIds,
        keyId,
        limit,
        String(nowMs - RATE_WINDOW_MS),
        String(nowMs),
        `${nowMs}:${this.instance}:${this.memberCount}`,
        RATE_KEY_TTL_MS,
      ),
    );
    return accepted === 1;
  }

  async takeSequenceStep(scenarioId: string, length: number, loop: boolean): Promise<number | undefined> {
    const step = await this.run(() =>
      this.client.takeSequenceStep(this.keys.sequences, scenarioId, length, loop ? '1' : '0'),
    );
    return step < 0 ? undefined : step;
  }

  async drawInteger(min: number, max: number): Promise<number> {
    const drawn = await this.run(() => this.client.incr(this.keys.draws));
    return seededIntegerAt(this.initial.seed, drawn - 1, min, max);
  }

  async appendJournal(entry: JournalEntry): Promise<void> {
    const text = JSON.stringify(entry);
    const message = JSON.stringify({ from: this.instance, entry });
    await this.run(() =>
      this.client.appendJournal(
        this.keys.journal,
        this.keys.journalTotal,
        text,
        this.initial.journalLimit,
        this.keys.channel,
        message,
      ),
    );
    for (const listener of this.listeners) listener(entry);
  }

  async listJournal() {
    const [texts, total] = await this.run(() => this.client.listJournal(this.keys.journal, this.keys.journalTotal));
    return {
      requests: texts.map((text) => JSON.parse(text) as JournalEntry),
      total: Number(total),
      limit: this.initial.journalLimit,
    };
  }

  clearJournal(): Promise<number> {
    return this.run(() => this.client.clearJournal(this.keys.journal, this.keys.journalTotal));
  }

  async reset(): Promise<void> {
    const k = this.keys;
    await this.run(() =>
      this.client.resetState(
        k.rateIds,
        k.quota,
        k.sequences,
        k.draws,
        k.journal,
        k.journalTotal,
        k.nextAnswers,
        k.ratePrefix,
      ),
    );
    for (const listener of this.resetListeners) listener();
    // Best effort: a replica that misses it keeps counting from before, which its own reset or restart repairs.
    await this.run(() =>
      this.client.publish(this.keys.channel, JSON.stringify({ from: this.instance, reset: true })),
    ).catch(() => {});
  }

  async readConfig(): Promise<ReplaceableConfig> {
    let answer = await this.run(() => this.client.readConfig(this.keys.config, String(this.cached?.version ?? '')));
    if (answer === null) {
      await this.seed();
      answer = await this.run(() => this.client.readConfig(this.keys.config, ''));
    }
    const version = Number(answer?.[0]);
    if (answer?.[1] === undefined && this.cached?.version === version) return this.cached;
    const [keys, scenarios, latency, faults] = answer?.[1] ?? [];
    this.cached = {
      version,
      keys: decode<KeyConfig[]>(keys),
      scenarios: decode<Scenario[]>(scenarios),
      latency: decode<LatencyConfig>(latency),
      faults: decode<FaultConfig>(faults),
    };
    return this.cached;
  }

  private replace(fields: Record<string, unknown>, forget: { rates: boolean; counters: string[] }): Promise<number> {
    const k = this.keys;
    const keys = [k.config, k.rateIds, ...forget.counters];
    const args = [forget.rates ? '1' : '0', k.ratePrefix];
    for (const [field, value] of Object.entries(fields)) args.push(field, encode(value));
    return this.runSeeded(() => this.client.replaceConfig(keys.length, ...keys, ...args));
  }

  replaceKeys(keys: readonly KeyConfig[] | undefined): Promise<number> {
    return this.replace({ keys }, { rates: true, counters: [this.keys.quota] });
  }

  replaceScenarios(scenarios: readonly Scenario[]): Promise<number> {
    return this.replace({ scenarios }, { rates: false, counters: [this.keys.sequences] });
  }

  replaceLatencyAndFaults(settings: { latency: LatencyConfig | undefined; faults: FaultConfig | undefined }) {
    return this.replace({ latency: settings.latency, faults: settings.faults }, { rates: false, counters: [] });
  }

  async readUsage(nowMs: number): Promise<StateUsage> {
    const k = this.keys;
    const [quota, rates, sequences] = await this.run(() =>
      this.client.readUsage(k.quota, k.rateIds, k.sequences, k.ratePrefix, `(${nowMs - RATE_WINDOW_MS}`, String(nowMs)),
    );
    const keys: StateUsage['keys'] = {};
    for (let i = 0; i < quota.length; i += 2) {
      keys[String(quota[i])] = { callsUsed: Number(quota[i + 1]), callsInWindow: 0 };
    }
    for (let i = 0; i < rates.length; i += 2) {
      const id = String(rates[i]);
      keys[id] = { callsUsed: keys[id]?.callsUsed ?? 0, callsInWindow: Number(rates[i + 1]) };
    }
    const positions: StateUsage['sequences'] = {};
    for (let i = 0; i < sequences.length; i += 2) positions[String(sequences[i])] = Number(sequences[i + 1]);
    const queued = await this.run(() => this.client.lrange(k.nextAnswers, 0, -1));
    return { keys, sequences: positions, nextAnswers: queued.map((text) => JSON.parse(text) as ScenarioStep) };
  }

  // One list shared by every replica: RPUSH and LPOP are each atomic, so a queued answer is taken exactly once.
  queueNextAnswer(step: ScenarioStep): Promise<number> {
    return this.run(() => this.client.rpush(this.keys.nextAnswers, encode(step)));
  }

  async takeNextAnswer(): Promise<ScenarioStep | undefined> {
    return decode<ScenarioStep>(await this.run(() => this.client.lpop(this.keys.nextAnswers)));
  }

  subscribeResets(listener: () => void): () => void {
    this.resetListeners.add(listener);
    this.subscribe();
    return () => {
      this.resetListeners.delete(listener);
    };
  }

  /** Waits (at most a few seconds: Redis answered the seeding just now) for the channel's subscription. */
  async listening(): Promise<void> {
    this.subscribe();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CONNECT_TIMEOUT_MS);
    });
    await Promise.race([this.subscribed, timeout]);
    clearTimeout(timer);
  }

  subscribeJournal(listener: JournalListener): () => void {
    this.listeners.add(listener);
    this.subscribe();
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Other replicas' entries arrive on a channel, over a connection of their own (a subscribed connection can do
   * nothing else); opened at the first subscription, resubscribed by ioredis after a reconnect. This process's own
   * entries go to its listeners directly, in order, as the in-memory state does.
   */
  private subscribe(): void {
    if (this.subscriber) return;
    // Unlike the state's commands, SUBSCRIBE may wait for Redis and be sent again: it changes no state. So a
    // subscription made while Redis is away takes effect when it is back.
    const subscriber = this.client.duplicate({
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
      autoResendUnfulfilledCommands: true,
      lazyConnect: false,
    });
    subscriber.on('error', () => {});
    subscriber.on('message', (_channel: string, text: string) => {
      const message = journalMessage(text);
      if (message === undefined || message.from === this.instance) return;
      if (message.entry === 'reset') for (const listener of this.resetListeners) listener();
      else for (const listener of this.listeners) listener(message.entry);
    });
    this.subscribed = subscriber.subscribe(this.keys.channel).then(
      () => {},
      () => {},
    );
    this.subscriber = subscriber;
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.resetListeners.clear();
    const quit = async (connection: Redis) => {
      try {
        await connection.quit();
      } catch {
        connection.disconnect();
      }
    };
    await Promise.all([quit(this.client), ...(this.subscriber ? [quit(this.subscriber)] : [])]);
  }
}

/**
 * An error Redis answered about a script (a bug of ours) rather than about its own availability: LOADING,
 * MASTERDOWN, READONLY, BUSY, a refused password, out of memory and the like mean "not usable now", everything
 * else Redis replies is ours to fix.
 */
function isScriptBug(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'ReplyError') return false;
  return !/^(LOADING|MASTERDOWN|READONLY|BUSY|TRYAGAIN|CLUSTERDOWN|NOREPLICAS|NOAUTH|WRONGPASS|NOPERM|OOM)/.test(
    error.message,
  );
}

/**
 * A message of the journal channel (an entry, or `reset` when a replica reset the state), or undefined for anything
 * else published there (never our bug to crash on).
 */
function journalMessage(text: string): { from: string; entry: JournalEntry | 'reset' } | undefined {
  try {
    const message = JSON.parse(text) as { from?: unknown; entry?: unknown; reset?: unknown };
    if (typeof message.from === 'string' && message.reset === true) return { from: message.from, entry: 'reset' };
    if (typeof message.from !== 'string' || typeof message.entry !== 'object' || message.entry === null) return;
    return { from: message.from, entry: message.entry as JournalEntry };
  } catch {
    return undefined;
  }
}
