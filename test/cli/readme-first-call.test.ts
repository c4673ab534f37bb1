import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockProcess, startMockProcess } from '../support/mock-process.js';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const readme = await readFile(join(repo, 'README.md'), 'utf8');

/** The README's "A first call" section: the commands a newcomer pastes, each followed by the answer it shows. */
function firstCallSection(): string {
  const start = readme.indexOf('## A first call');
  const end = readme.indexOf('\n## ', start + 1);
  expect(start, 'the README has a section "A first call"').toBeGreaterThan(-1);
  return readme.slice(start, end);
}

/** Each `curl` line of the section, with the text of the block shown right after it. */
function curlCallsAndAnswers(section: string): { command: string; shown: string }[] {
  const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map(([, lang, body]) => ({
    lang,
    body: body ?? '',
  }));
  const calls: { command: string; shown: string }[] = [];
  blocks.forEach((block, index) => {
    if (block.lang !== 'sh' || !block.body.startsWith('curl ')) return;
    calls.push({ command: block.body.trim(), shown: (blocks[index + 1]?.body ?? '').trim() });
  });
  return calls;
}

/** An answer with its request id replaced, since every answer gets a fresh one. */
function withoutRequestId(text: string): string {
  return text.replace(/"request_id":"TID[0-9a-f]{32}"/g, '"request_id":"TID…"');
}

describe("the README's first call", () => {
  let mock: MockProcess;
  let dir: string;

  beforeAll(async () => {
    // What `npm start` serves (no config), on a free port instead of 4010.
    mock = await startMockProcess();
    dir = await mkdtemp(join(tmpdir(), 'accuauth-first-call-'));
  });

  afterAll(async () => {
    await mock?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('makes face.jpg, then gets exactly the answers shown for `file`, `image_base64` and a Prefer header', async () => {
    const section = firstCallSection();
    const make = /```sh\n(node --input-type=module [^\n]*> face\.jpg)\n```/.exec(section)?.[1];
    expect(make).toBeDefined();
    // Run in the clone, where the package's own name resolves to its build; the image goes to the test's directory.
    await run('bash', ['-e', '-c', (make ?? '').replace('> face.jpg', `> '${join(dir, 'face.jpg')}'`)], { cwd: repo });

    const calls = curlCallsAndAnswers(section);
    expect(calls.map((call) => /-F "?(\w+)=/.exec(call.command)?.[1])).toEqual(['file', 'image_base64', 'file']);
    const port = new URL(mock.url).port;
    for (const { command, shown } of calls) {
      expect(command).toContain('http://127.0.0.1:4010/face/predict_gender');
      const { stdout } = await run('bash', ['-e', '-c', command.replaceAll('127.0.0.1:4010', `127.0.0.1:${port}`)], {
        cwd: dir,
      });
      expect(stdout.trim()).toMatch(/"request_id":"TID[0-9a-f]{32}"/);
      expect(withoutRequestId(stdout.trim()), command).toBe(withoutRequestId(shown));
    }
  });
});
