import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import {
  type AuditSettings,
  ClientJudge,
  type ClientJudgement,
  type JournalEntry,
  type RequiredOutcome,
} from '../core/index.js';

export type JournalReplay = { ok: true; judgement: ClientJudgement; entries: number } | { ok: false; reason: string };

/**
 * Replays journal files (`startMock({ journalFile })`, `mock --journal-file`: one JSON entry per line) through the
 * judge the live mock uses, so the report of a stopped mock says what the running one said. Several files merge
 * into one coverage; the audit judges each file on its own (one test worker's mock, one client run), since the
 * same key in two workers is two clients, not one retrying. A line that is not a journal entry is a reason naming
 * the file and line: a truncated or foreign file must not pass for a clean run.
 */
export function replayJournalFiles(
  paths: readonly string[],
  settings: { require?: readonly RequiredOutcome[]; audit?: AuditSettings } = {},
): JournalReplay {
  const judge = new ClientJudge(settings, true);
  const names = sourceNames(paths);
  let entries = 0;
  for (const [index, path] of paths.entries()) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      return { ok: false, reason: `cannot read the journal file ${path}: ${(error as Error).message}` };
    }
    const source = paths.length > 1 ? names[index] : undefined;
    let start = 0;
    let line = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end === -1) end = text.length;
      line += 1;
      const raw = text.slice(start, end).trim();
      start = end + 1;
      if (raw === '') continue;
      const entry = parseEntry(raw);
      if (!entry) {
        return {
          ok: false,
          reason: `${path}:${line} is not a journal entry (one JSON object per line, as --journal-file writes them)`,
        };
      }
      judge.record(entry, source);
      entries += 1;
    }
  }
  return { ok: true, judgement: judge.judgement(settings.require), entries };
}

function parseEntry(raw: string): JournalEntry | undefined {
  try {
    const value = JSON.parse(raw) as Partial<JournalEntry> | null;
    if (
      typeof value !== 'object' ||
      value === null ||
      typeof value.at !== 'string' ||
      typeof value.status !== 'string' ||
      typeof value.decidedBy !== 'string' ||
      typeof value.latencyMs !== 'number' ||
      typeof value.body !== 'object' ||
      value.body === null
    ) {
      return undefined;
    }
    return value as JournalEntry;
  } catch {
    return undefined;
  }
}

/** Each file's name as the findings name it: the base name, or the path where two files share one. */
function sourceNames(paths: readonly string[]): string[] {
  const bases = paths.map((path) => basename(path));
  return paths.map((path, index) =>
    bases.indexOf(bases[index] as string) === bases.lastIndexOf(bases[index] as string)
      ? (bases[index] as string)
      : path,
  );
}
