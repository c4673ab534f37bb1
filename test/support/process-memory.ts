import { readFileSync } from 'node:fs';

export interface ProcessMemory {
  /** Resident set size now, in bytes. */
  rss: number;
  /** Peak resident set size since the process started (VmHWM), in bytes. */
  peakRss: number;
}

/**
 * Another process's memory, read from /proc (Linux only, which is what CI and this project's machines run).
 * Measuring the server as a separate process is the point: the test runner's own heap would drown the figure.
 * Returns undefined once the process is gone.
 */
export function processMemory(pid: number): ProcessMemory | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kib = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
    return match?.[1] === undefined ? 0 : Number(match[1]) * 1024;
  };
  return { rss: kib('VmRSS'), peakRss: kib('VmHWM') };
}

/** Polls a process's RSS every `intervalMs` until stopped; `stop()` returns the highest RSS seen, in bytes. */
export function watchPeakRss(pid: number, intervalMs = 25): { stop(): number } {
  let peak = processMemory(pid)?.rss ?? 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, processMemory(pid)?.rss ?? 0);
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, processMemory(pid)?.rss ?? 0);
      return peak;
    },
  };
}

/** This process's highest RSS while `run` runs, above what it was before, in bytes. */
export async function rssGrowth<T>(run: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  try {
    const result = await run();
    return { result, growth: Math.max(peak, process.memoryUsage().rss) - before };
  } finally {
    clearInterval(timer);
  }
}
