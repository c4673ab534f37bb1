import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_PAGE_FOLDER, FILE_NAMES } from '../../mock/admin/dashboard/dashboard-files.js';
import { type RunningMock, startMock } from '../../mock/index.js';

const folder = new URL(`../../${DASHBOARD_PAGE_FOLDER}/`, import.meta.url);
const pageFile = (name: string) => readFileSync(new URL(name, folder), 'utf8');
const modules = readdirSync(folder).filter((name) => name.endsWith('.js'));

/** The modules a module imports, by their file name in the page folder. */
function importsOf(name: string): string[] {
  return [...pageFile(name).matchAll(/^import [^;]*? from '\.\/([\w-]+\.js)';$/gm)].map((match) => match[1] ?? '');
}

describe("the dashboard's files", () => {
  it('serves every file of the page folder, and only those (the standalone executable embeds the same list)', () => {
    expect(Object.values(FILE_NAMES).sort()).toEqual(readdirSync(folder).sort());
  });

  it('has every script module checked by tsc (// @ts-check) and reached from dashboard.js, which the page loads as a module', () => {
    expect(modules.length).toBeGreaterThan(5);
    for (const name of modules) expect(pageFile(name).startsWith('// @ts-check\n'), name).toBe(true);
    expect(pageFile('index.html')).toContain('<script type="module" src="/__admin/ui/dashboard.js"></script>');
    const reached = new Set(['dashboard.js']);
    const queue = ['dashboard.js'];
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      for (const imported of importsOf(name)) {
        expect(modules, `${name} imports ${imported}`).toContain(imported);
        if (!reached.has(imported)) queue.push(imported);
        reached.add(imported);
      }
    }
    expect([...reached].sort()).toEqual([...modules].sort());
  });
});

describe("the dashboard's modules over HTTP", () => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startMock({ port: 0 });
  });
  afterAll(async () => {
    await mock?.close();
  });

  it('serves each as JavaScript, byte for byte, under the page Content-Security-Policy', async () => {
    const page = await fetch(`${mock.url}/__admin/ui`);
    const policy = page.headers.get('content-security-policy');
    expect(policy).toContain("script-src 'self'");
    for (const name of modules) {
      const response = await fetch(`${mock.url}/__admin/ui/${name}`);
      expect(response.status, name).toBe(200);
      expect(response.headers.get('content-type'), name).toBe('text/javascript; charset=utf-8');
      expect(response.headers.get('content-security-policy'), name).toBe(policy);
      expect(await response.text(), name).toBe(pageFile(name));
    }
  });
});
