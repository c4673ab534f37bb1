import type { DecisionProfile } from '../../src/generated/decisions.js';
import type { CatalogueEntry } from '../../src/spec/error-catalogue.js';
import type { AuditView, CoverageView, MockConfig, MockControl } from '../core/index.js';

/**
 * The JSON the admin API answers, by route, as the dashboard's script reads it: the page is plain JavaScript checked
 * by tsc (`// @ts-check`, JSDoc), and its types come from here, so a field renamed in the mock is a type error in
 * the page, not a blank cell.
 */
export type {
  AuditFinding,
  JournalBody,
  JournalEntry,
  JournalPage,
  KeyView,
  ScenariosView,
  ScenarioView,
} from '../core/index.js';

/** `GET /__admin/keys`. */
export type KeysAnswer = Awaited<ReturnType<MockControl['keys']>>;
/** `GET /__admin/scenarios`. */
export type ScenariosAnswer = Awaited<ReturnType<MockControl['scenarios']>>;
/** `GET /__admin/config`: the effective config, with every decision in force (not only the configured ones). */
export type ConfigAnswer = MockConfig & { decisions: DecisionProfile };

/** `GET /__admin/statuses`: every status value the spec documents, with its HTTP code. */
export interface StatusesAnswer {
  ok: { status: 'OK'; httpCode: number };
  errors: CatalogueEntry[];
}

/** When counting started: the mock's start or its last reset (ISO instant). */
interface CountedSince {
  since: string;
}
/** `GET /__admin/coverage`: which documented outcomes the client's calls met since `since`. */
export type CoverageAnswer = CountedSince & CoverageView;
/** `GET /__admin/audit`: what the client did that costs money or gets its key throttled, since `since`. */
export type AuditAnswer = CountedSince & AuditView;

/** What the admin API answers when it refuses a call (`adminError`). */
export interface AdminRefusal {
  error: string;
}
