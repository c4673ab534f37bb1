/**
 * The mock servers a team would pick instead of this one, configured for the endpoint: Mockoon's CLI
 * with a data file and Mountebank with an imposter, each answering POST /face/predict_gender with the vendor's
 * sample JSON (the spec's `OK` example, read from the spec here rather than copied into their files). They are
 * large, so they live in bench/peers/ with their own package.json and lock, installed with `npm ci` on first use;
 * a peer that cannot be installed or started is reported as such and the benchmark goes on without it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { namedExamples } from '../src/spec/named-examples.js';
import { PREDICT_GENDER_PATH } from '../src/spec/spec-document.js';
import { unusedPort } from '../test/support/free-port.js';
import type { BenchServer } from './bench-servers.js';
import { startServerProcess } from './server-process.js';

const peersDir = fileURLToPath(new URL('./peers', import.meta.url));
const bin = (name: string) => join(peersDir, 'node_modules', '.bin', name);
const configDir = mkdtempSync(join(tmpdir(), 'accuauth-bench-peers-'));

/** Installs bench/peers from its lock when it is not installed yet; returns why it could not, if it could not. */
export function installPeers(log: (line: string) => void): string | undefined {
  if (existsSync(bin('mockoon-cli')) && existsSync(bin('mb'))) return undefined;
  log('installing the peer mock servers (npm ci --prefix bench/peers) ...');
  try {
    execFileSync('npm', ['ci', '--prefix', peersDir, '--no-audit', '--no-fund'], { stdio: 'inherit' });
    return undefined;
  } catch (error) {
    return `npm ci --prefix bench/peers failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
}

function sampleBody(): string {
  const sample = namedExamples().get('OK');
  if (!sample) throw new Error('the spec has no OK example');
  return JSON.stringify(sample.body);
}

/** Mockoon's environment (data file) format, migration 33 (@mockoon/cli 9.x): one route, one default response. */
function mockoonDataFile(): string {
  const file = join(configDir, 'mockoon-environment.json');
  const routeId = 'b3f7c0de-0000-4000-8000-000000000001';
  const environment = {
    uuid: 'b3f7c0de-0000-4000-8000-000000000000',
    lastMigration: 33,
    name: 'AccuAuth predict_gender',
    endpointPrefix: '',
    latency: 0,
    port: 3000,
    hostname: '',
    folders: [],
    routes: [
      {
        uuid: routeId,
        type: 'http',
        documentation: 'AccuAuth POST /face/predict_gender, the vendor sample answer',
        method: 'post',
        endpoint: PREDICT_GENDER_PATH.slice(1),
        responses: [
          {
            uuid: 'b3f7c0de-0000-4000-8000-000000000002',
            body: sampleBody(),
            latency: 0,
            statusCode: 200,
            label: 'OK',
            headers: [{ key: 'Content-Type', value: 'application/json' }],
            bodyType: 'INLINE',
            filePath: '',
            databucketID: '',
            sendFileAsBody: false,
            rules: [],
            rulesOperator: 'OR',
            disableTemplating: false,
            fallbackTo404: false,
            default: true,
            crudKey: 'id',
            callbacks: [],
          },
        ],
        responseMode: null,
        streamingMode: null,
        streamingInterval: 0,
      },
    ],
    rootChildren: [{ type: 'route', uuid: routeId }],
    proxyMode: false,
    proxyHost: '',
    proxyRemovePrefix: false,
    tlsOptions: { enabled: false, type: 'CERT', pfxPath: '', certPath: '', keyPath: '', caPath: '', passphrase: '' },
    cors: true,
    headers: [],
    proxyReqHeaders: [],
    proxyResHeaders: [],
    data: [],
    callbacks: [],
  };
  writeFileSync(file, JSON.stringify(environment, null, 2));
  return file;
}

/** A Mountebank config file with one HTTP imposter on `port`. */
function mountebankImposters(port: number): string {
  const file = join(configDir, `mountebank-imposters-${port}.json`);
  const imposter = {
    port,
    protocol: 'http',
    name: 'AccuAuth predict_gender',
    stubs: [
      {
        predicates: [{ equals: { method: 'POST', path: PREDICT_GENDER_PATH } }],
        responses: [{ is: { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: sampleBody() } }],
      },
    ],
  };
  writeFileSync(file, JSON.stringify({ imposters: [imposter] }, null, 2));
  return file;
}

export const mockoonServer: BenchServer = {
  name: 'mockoon',
  command: 'mockoon-cli start -d ENVIRONMENT.json -l 127.0.0.1 -p PORT -X',
  start: () =>
    startServerProcess({
      command: bin('mockoon-cli'),
      // -X: log to stdout/stderr only, no log files under the home directory.
      args: ['start', '-d', mockoonDataFile(), '-l', '127.0.0.1', '-p', '{port}', '-X'],
      cwd: configDir,
      probePath: PREDICT_GENDER_PATH,
      timeoutMs: 60_000,
    }),
};

export const mountebankServer: BenchServer = {
  name: 'mountebank',
  command: 'mb start --port ADMIN --host 127.0.0.1 --configfile IMPOSTERS.json --nologfile (imposter on PORT)',
  async start() {
    // Mountebank answers on the imposter's port; its own admin API needs a port of its own.
    const imposterPort = await unusedPort();
    const adminPort = await unusedPort();
    return startServerProcess({
      command: bin('mb'),
      args: [
        'start',
        '--port',
        String(adminPort),
        '--host',
        '127.0.0.1',
        '--configfile',
        mountebankImposters(imposterPort),
        '--nologfile',
        '--pidfile',
        join(configDir, `mb-${adminPort}.pid`),
      ],
      port: imposterPort,
      cwd: configDir,
      probePath: PREDICT_GENDER_PATH,
      timeoutMs: 60_000,
    });
  },
};
