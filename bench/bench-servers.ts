import { fileURLToPath } from 'node:url';
import { findSpecPath, PREDICT_GENDER_PATH } from '../src/spec/spec-document.js';
import { type ServerProcess, startServerProcess } from './server-process.js';

export type ServerName = 'mock' | 'prism' | 'bare';

export interface BenchServer {
  name: ServerName;
  /** How it is started, for the report. */
  command: string;
  start(extraNodeFlags?: readonly string[]): Promise<ServerProcess>;
}

const root = fileURLToPath(new URL('..', import.meta.url));
const node = process.execPath;

/** The built mock CLI, as `npm start` runs it (dist/, no tsx on the path). */
export const mockCli = `${root}dist/src/cli/main.js`;

export function mockServer(configFile?: string): BenchServer {
  const config = configFile === undefined ? [] : ['--config', configFile];
  return {
    name: 'mock',
    command: 'node dist/src/cli/main.js mock --host 127.0.0.1 --port PORT',
    start: (extraNodeFlags = []) =>
      startServerProcess({
        command: node,
        args: [...extraNodeFlags, mockCli, 'mock', '--host', '127.0.0.1', '--port', '{port}', ...config],
        cwd: root,
        probePath: PREDICT_GENDER_PATH,
      }),
  };
}

export const prismServer: BenchServer = {
  name: 'prism',
  command: 'prism mock -h 127.0.0.1 -p PORT openapi/predict-gender.yaml',
  start: () =>
    startServerProcess({
      command: `${root}node_modules/.bin/prism`,
      args: ['mock', '-h', '127.0.0.1', '-p', '{port}', findSpecPath()],
      cwd: root,
      probePath: PREDICT_GENDER_PATH,
      timeoutMs: 60_000,
    }),
};

export const bareServer: BenchServer = {
  name: 'bare',
  command: 'node --import tsx bench/bare-server.ts PORT',
  start: () =>
    startServerProcess({
      command: node,
      args: ['--import', 'tsx', `${root}bench/bare-server.ts`, '{port}'],
      cwd: root,
      probePath: PREDICT_GENDER_PATH,
    }),
};
