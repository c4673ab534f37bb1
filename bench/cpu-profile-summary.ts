/**
 * Where a `node --cpu-prof` profile spent its time: self time per function and per area (multipart parsing,
 * image inspection, validation, logging, ...). Self time, not total, because the question is which code burns the
 * CPU, and Express's middleware chain makes every total look like Express.
 *
 * Usage: node --import tsx bench/cpu-profile-summary.ts FILE.cpuprofile
 */
import { readFileSync } from 'node:fs';

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface SelfTime {
  label: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Time not idle: what the process actually computed. */
  busyMs: number;
  functions: SelfTime[];
  areas: SelfTime[];
  /** Self time charged to the first caller outside Node itself: whose work Node's internals were doing. */
  onBehalfOf: SelfTime[];
}

/**
 * The area a function belongs to, from its script's path. Ordered: the first match wins, so the project's own
 * files are named before the generic node_modules bucket.
 */
const AREAS: readonly [string, RegExp][] = [
  ['multipart parsing (multer, busboy, streamsearch)', /node_modules\/(multer|busboy|streamsearch|append-field)\//],
  ['validation (ajv)', /node_modules\/ajv/],
  ['logging (pino)', /node_modules\/(pino|sonic-boom|thread-stream|fast-redact|quick-format)/],
  ['image hashing and prediction (src/image/predicted-face.ts)', /\/src\/image\/predicted-face/],
  ['image inspection and base64 (image-size, src/image)', /node_modules\/image-size\/|\/src\/image\//],
  [
    'Express routing and body plumbing',
    /node_modules\/(express|router|body-parser|raw-body|finalhandler|send|on-finished|type-is|qs|iconv-lite|mime|content-type|debug)/,
  ],
  ['the core (mock/core)', /\/mock\/core\//],
  ['the Express adapter (mock/)', /\/mock\//],
  ['the project (src/, other)', /\/src\//],
  ['other packages', /node_modules\//],
  ['Node HTTP and streams (node:internal)', /^node:|internal\//],
];

export function summariseCpuProfile(profile: CpuProfile, top = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, CpuProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node);
  /**
   * Native functions (`writev`, `update`) have no script: they are charged to the nearest caller that has one,
   * which says whose work they were (a socket write of the answer, a log line, a hash of the image).
   */
  const scriptedCaller = (node: CpuProfileNode): CpuProfileNode | undefined => {
    let current: CpuProfileNode | undefined = node;
    while (current && current.callFrame.url === '') current = parentOf.get(current.id);
    return current;
  };
  const perFunction = new Map<string, number>();
  const perArea = new Map<string, number>();
  const perPackage = new Map<string, number>();
  const isNode = (url: string) => url === '' || url.startsWith('node:') || url.includes('internal/');
  const firstOutsideNode = (node: CpuProfileNode): CpuProfileNode | undefined => {
    let current: CpuProfileNode | undefined = node;
    while (current && isNode(current.callFrame.url)) current = parentOf.get(current.id);
    return current;
  };
  let totalUs = 0;
  let idleUs = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    const node = byId.get(id);
    const frame = node?.callFrame;
    totalUs += delta;
    if (!node || !frame) return;
    if (frame.functionName === '(idle)') {
      idleUs += delta;
      return;
    }
    const caller = frame.url === '' ? scriptedCaller(node) : node;
    const callerFrame = caller?.callFrame;
    const describe = (f: CpuProfileNode['callFrame']) =>
      `${f.functionName || '(anonymous)'} ${shortUrl(f.url)}:${f.lineNumber + 1}`;
    const label =
      frame.url !== ''
        ? describe(frame)
        : `${frame.functionName} (native)${callerFrame && caller !== node ? ` <- ${describe(callerFrame)}` : ''}`;
    perFunction.set(label, (perFunction.get(label) ?? 0) + delta);
    const area = callerFrame
      ? (AREAS.find(([, re]) => re.test(callerFrame.url))?.[0] ?? 'other')
      : `${frame.functionName} (VM)`;
    perArea.set(area, (perArea.get(area) ?? 0) + delta);
    const owner = firstOutsideNode(node)?.callFrame.url;
    const onBehalf = owner
      ? (AREAS.find(([, re]) => re.test(owner))?.[0] ?? 'other')
      : frame.url === ''
        ? `${frame.functionName} (VM)`
        : 'Node itself (sockets, HTTP parser, timers)';
    perPackage.set(onBehalf, (perPackage.get(onBehalf) ?? 0) + delta);
  });
  const busyUs = totalUs - idleUs;
  const rank = (map: Map<string, number>, limit: number): SelfTime[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([label, us]) => ({ label, ms: us / 1000, share: busyUs === 0 ? 0 : us / busyUs }));
  return {
    totalMs: totalUs / 1000,
    busyMs: busyUs / 1000,
    functions: rank(perFunction, top),
    areas: rank(perArea, 20),
    onBehalfOf: rank(perPackage, 20),
  };
}

/** `file:///…/node_modules/multer/lib/x.js` -> `multer/lib/x.js`; project files relative to the repo. */
function shortUrl(url: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  const project = /\/(dist\/)?(mock|src)\/.*$/.exec(url);
  return project ? project[0].slice(1) : url;
}

export function readCpuProfile(file: string): CpuProfile {
  return JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
}

export function profileMarkdown(summary: ProfileSummary): string {
  const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
  const lines = [
    `Busy ${summary.busyMs.toFixed(0)} ms of ${summary.totalMs.toFixed(0)} ms profiled (the rest idle).`,
    '',
    '| area | self time | share of busy |',
    '| --- | ---: | ---: |',
    ...summary.areas.map((a) => `| ${a.label} | ${a.ms.toFixed(0)} ms | ${pct(a.share)} |`),
    '',
    '| on behalf of (Node internals charged to their first caller outside Node) | self time | share of busy |',
    '| --- | ---: | ---: |',
    ...summary.onBehalfOf.map((a) => `| ${a.label} | ${a.ms.toFixed(0)} ms | ${pct(a.share)} |`),
    '',
    '| function (self time) | self time | share of busy |',
    '| --- | ---: | ---: |',
    ...summary.functions.map(
      (f) => `| \`${f.label.replaceAll('|', '\\|')}\` | ${f.ms.toFixed(0)} ms | ${pct(f.share)} |`,
    ),
  ];
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: cpu-profile-summary.ts FILE.cpuprofile');
  console.log(profileMarkdown(summariseCpuProfile(readCpuProfile(file))));
}
