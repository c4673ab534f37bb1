/**
 * `npm run bench`: the project's mock against the floor app (Express + multer doing only the work a faithful mock
 * cannot skip: bench/floor-app-server.ts), against Express + multer doing nothing (the stack's own ceiling), against the
 * mock servers users would pick instead (Prism on the same spec, Mockoon's CLI, Mountebank; the last two from
 * bench/peers/, installed on first use) and against a bare node:http server (the practical upper limit), same
 * requests, same machine, one server at a time so they never compete for the cores. Then the mock's memory while 50 clients upload near-limit images, bursts of 200 and 50 valid near-limit uploads started at once (every one must be answered 200), and a CPU profile of the mock under the
 * `file` upload load. Each round also starts the bin, `npm start` and the floor app in turn, for their start-up
 * alone. Writes docs/benchmarks.md (or, with --quick, a few-second run printed to stdout).
 *
 *   npm run bench                       full run, writes docs/benchmarks.md
 *   npm run bench -- --quick            ~1 s per case, 1 round, prints the report (no profile)
 *   npm run bench -- --quick --out F    same, written to F
 *   flags: --rounds N  --duration S  --no-profile  --no-build
 *   npm run bench -- --bursts-only      only the bursts of valid 5 MiB uploads (200 and 50 clients), printed
 *   npm run bench -- --quick --servers mock,floor   only these servers (names as in the report's JSON)
 *   npm run bench -- --render R.json    only re-render a run's figures (saved as JSON beside the report)
 *                                       with the current bench/findings.md, measuring nothing
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PREDICT_GENDER_PATH } from '../src/spec/spec-document.js';
import { base64UploadBody, fileUploadBody, multipartContentType } from '../test/support/multipart-body.js';
import { watchPeakRss } from '../test/support/process-memory.js';
import { uploadBurst } from '../test/support/upload-burst.js';
import { benchJpeg, nearLimitJpeg } from './bench-images.js';
import {
  type BenchServer,
  bareServer,
  buildFloorApp,
  expressMulterServer,
  floorAppServer,
  libraryMockServer,
  mockCli,
  mockServer,
  mockWithDashboardServer,
  npmStartMock,
  prismServer,
  timeStartMock,
} from './bench-servers.js';
import { type BenchReport, burstMarkdown, reportMarkdown, type ScenarioName } from './benchmark-report.js';
import { profileMarkdown, readCpuProfile, summariseCpuProfile } from './cpu-profile-summary.js';
import { bodyFile, type LoadFigures, runLoad } from './load-run.js';
import { installPeers, mockoonServer, mountebankServer } from './peer-servers.js';
import { measureSharedState, type SharedStateFigures, sharedStateMarkdown } from './shared-state-bench.js';

/** The report with the shared-state case (two replicas on one Redis), kept in its own module. */
type FullReport = BenchReport & { sharedState?: SharedStateFigures };

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    'no-profile': { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    render: { type: 'string' },
    'bursts-only': { type: 'boolean', default: false },
    servers: { type: 'string' },
  },
});
const quick = flags.quick ?? false;
const rounds = Number(flags.rounds ?? (quick ? 1 : 3));
const durationSeconds = Number(flags.duration ?? (quick ? 1 : 5));
const warmupSeconds = quick ? 0 : 1;
const connections = 10;
const out = flags.out ?? (quick ? undefined : join(root, 'docs', 'benchmarks.md'));

if (flags.render !== undefined) {
  writeReport(JSON.parse(readFileSync(flags.render, 'utf8')) as FullReport);
  process.exit(0);
}

// The mock is measured as users run it: the built CLI. A full run always rebuilds so the figures are of this tree.
if (!flags['no-build'] && (!quick || !existsSync(mockCli))) {
  log('building (npm run build) ...');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
}

await buildFloorApp();

if (flags['bursts-only']) {
  process.stdout.write(`${burstMarkdown(await measureBursts()).join('\n')}\n`);
  process.exit(0);
}

const image = benchJpeg();
const credentials = { 'x-df-api-id': 'bench-id', 'x-df-api-secret': 'bench-secret' };
const multipart = { 'content-type': multipartContentType() };
const scenarios: { name: ScenarioName; body: string; headers: Record<string, string>; expect: '2xx' | '4xx' }[] = [
  {
    name: 'file',
    body: bodyFile('file', fileUploadBody(image)),
    headers: { ...credentials, ...multipart },
    expect: '2xx',
  },
  {
    name: 'image_base64',
    body: bodyFile('base64', base64UploadBody(image)),
    headers: { ...credentials, ...multipart },
    expect: '2xx',
  },
  { name: 'no credentials', body: bodyFile('anonymous', fileUploadBody(image)), headers: multipart, expect: '4xx' },
];
const skipped: { server: string; reason: string }[] = [];
const peersMissing = installPeers(log);
const peers = peersMissing === undefined ? [mockoonServer, mountebankServer] : [];
if (peersMissing !== undefined) skipped.push({ server: 'mockoon, mountebank', reason: peersMissing });
const chosen = flags.servers?.split(',');
const servers: BenchServer[] = [
  mockServer(),
  mockWithDashboardServer(),
  floorAppServer,
  expressMulterServer,
  prismServer,
  ...peers,
  bareServer,
].filter((server) => chosen === undefined || chosen.includes(server.name));
/** Start-up only: the bin as the CI recipe starts it, `npm start`, and the floor app, alternated within a round. */
const launchers: BenchServer[] = [mockServer(), npmStartMock, floorAppServer];

const report: FullReport = {
  command: quick ? 'npm run bench -- --quick' : 'npm run bench',
  loadAtStart: loadavg(),
  rounds,
  durationSeconds,
  connections,
  imageBytes: image.length,
  runs: [],
  startups: [],
  inProcessStartups: [],
  launches: [],
  loadDuring: [],
  skipped,
};
// The machine is shared: sample its load through the run, so the report can say how busy it was.
const loadSampler = setInterval(() => report.loadDuring?.push(loadavg()[0] ?? 0), 5_000);

for (let round = 0; round < rounds; round += 1) {
  report.inProcessStartups?.push(timeStartMock());
  // Each launcher three times per round, interleaved (bin, npm, floor, bin, ...), rotated by round, so that the
  // machine's load of the moment weighs on all three alike.
  for (let turn = 0; turn < 3 * launchers.length; turn += 1) {
    const launcher = launchers[(turn + round) % launchers.length] as BenchServer;
    const proc = await launcher.start();
    report.launches?.push({ server: launcher.name, round, ms: proc.startupMs });
    await proc.stop();
  }
  log(`round ${round + 1}/${rounds} start-ups: ${launchSummary(round)}`);
  // Rotate the order each round so no server always runs first (cold machine) or last (warm caches).
  const order = servers.map((_, i) => servers[(i + round) % servers.length] as BenchServer);
  for (const server of order) {
    let proc: Awaited<ReturnType<BenchServer['start']>>;
    try {
      proc = await server.start();
    } catch (error) {
      // A server that cannot start (a peer's install gone wrong) is reported, and the run goes on without it.
      const reason = error instanceof Error ? error.message.slice(0, 300) : String(error);
      skipped.push({ server: `${server.name} (round ${round + 1})`, reason });
      log(`round ${round + 1}/${rounds} ${server.name}: could not start: ${reason}`);
      continue;
    }
    report.startups.push({ server: server.name, round, ms: proc.startupMs });
    log(`round ${round + 1}/${rounds} ${server.name}: up in ${proc.startupMs.toFixed(0)} ms`);
    try {
      for (const scenario of scenarios) {
        const rss = watchPeakRss(proc.pid);
        const figures = await runLoad({
          url: `${proc.url}${PREDICT_GENDER_PATH}`,
          connections,
          durationSeconds,
          warmupSeconds,
          headers: scenario.headers,
          bodyFile: scenario.body,
        });
        const peakRss = rss.stop();
        report.runs.push({
          server: server.name,
          scenario: scenario.name,
          round,
          figures,
          peakRss,
          expect: scenario.expect,
        });
        log(`  ${scenario.name}: ${describe(figures)}, peak RSS ${mib(peakRss)}`);
      }
    } finally {
      await proc.stop();
    }
  }
}

report.sharedState = await measureSharedState({
  connections,
  durationSeconds,
  warmupSeconds,
  rounds,
  bodyFile: scenarios[0]?.body ?? '',
  headers: { ...credentials, ...multipart },
  credentials,
  log,
});

{
  const big = nearLimitJpeg();
  const proc = await mockServer().start();
  try {
    const rss = watchPeakRss(proc.pid);
    const figures = await runLoad({
      url: `${proc.url}${PREDICT_GENDER_PATH}`,
      connections: 50,
      durationSeconds: quick ? 2 : 10,
      warmupSeconds: 0,
      headers: { ...credentials, ...multipart },
      bodyFile: bodyFile('near-limit', fileUploadBody(big)),
    });
    report.underLoad = { connections: 50, imageBytes: big.length, figures, peakRss: rss.stop() };
    log(`50 x ${mib(big.length)} uploads: ${describe(figures)}, peak RSS ${mib(report.underLoad.peakRss)}`);
  } finally {
    await proc.stop();
  }
}

report.uploadBursts = await measureBursts();

if (!quick && !flags['no-profile']) report.profiles = await profileMock();
clearInterval(loadSampler);
report.loadAtEnd = loadavg();

writeReport(report);

function writeReport(figures: FullReport): void {
  const markdown = reportMarkdown(figures) + sharedStateMarkdown(figures.sharedState);
  if (out === undefined) {
    process.stdout.write(markdown);
    return;
  }
  writeFileSync(out, markdown);
  // The figures as measured, so the report can be re-rendered (--render) without measuring again.
  const json = `${out.replace(/\.md$/, '')}.json`;
  writeFileSync(json, `${JSON.stringify(figures, null, 2)}\n`);
  // The repository formats Markdown and JSON with biome (npm run lint checks them): keep the output lint-clean.
  // Files outside the repository are not biome's to format (it refuses them), and need not be.
  if (resolve(out).startsWith(root)) {
    execFileSync(join(root, 'node_modules', '.bin', 'biome'), ['format', '--write', out, json], { stdio: 'ignore' });
  }
  log(`wrote ${out}`);
}

/**
 * The mock under each upload's load with --cpu-prof (one process per upload, so each profile is of one request
 * kind); the profile is written when the process exits on SIGTERM.
 */
async function profileMock(): Promise<NonNullable<BenchReport['profiles']>> {
  const profiles: NonNullable<BenchReport['profiles']> = [];
  for (const scenario of scenarios.filter((s) => s.expect === '2xx')) {
    const dir = mkdtempSync(join(tmpdir(), 'accuauth-cpuprof-'));
    const proc = await libraryMockServer().start(['--cpu-prof', '--cpu-prof-dir', dir]);
    try {
      await runLoad({
        url: `${proc.url}${PREDICT_GENDER_PATH}`,
        connections,
        durationSeconds: 8,
        warmupSeconds: 0,
        headers: scenario.headers,
        bodyFile: scenario.body,
      });
    } finally {
      await proc.stop(10_000);
    }
    const written = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
    if (written === undefined) {
      profiles.push({ scenario: scenario.name, markdown: `No profile was written in ${dir}.` });
      continue;
    }
    log(`profile of ${scenario.name}: ${join(dir, written)}`);
    profiles.push({
      scenario: scenario.name,
      markdown: profileMarkdown(summariseCpuProfile(readCpuProfile(join(dir, written)))),
    });
  }
  return profiles;
}

/**
 * 200 and then 50 clients each sending one valid near-limit upload, all at once, to a fresh mock process each
 * time: every answer by status, and the mock's peak RSS.
 */
async function measureBursts(): Promise<NonNullable<BenchReport['uploadBursts']>> {
  const big = nearLimitJpeg();
  const upload = fileUploadBody(big);
  const bursts: NonNullable<BenchReport['uploadBursts']> = [];
  for (const clients of [200, 50]) {
    const proc = await mockServer().start();
    try {
      const rss = watchPeakRss(proc.pid);
      const figures = await uploadBurst(proc.url, upload, clients);
      bursts.push({ imageBytes: big.length, figures, peakRss: rss.stop() });
      log(
        `burst of ${clients} x ${mib(upload.length)} uploads: ${JSON.stringify(figures.byStatus)}, p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, peak RSS ${mib(bursts.at(-1)?.peakRss ?? 0)}`,
      );
    } finally {
      await proc.stop();
    }
  }
  return bursts;
}

function launchSummary(round: number): string {
  return launchers
    .map((launcher) => {
      const all = (report.launches ?? []).filter((l) => l.round === round && l.server === launcher.name);
      return `${launcher.name} ${all.map((l) => l.ms.toFixed(0)).join('/')} ms`;
    })
    .join(', ');
}

function describe(f: LoadFigures): string {
  return `${f.requestsPerSecond.toFixed(0)} req/s, p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms, ${JSON.stringify(f.byClass)}`;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}
