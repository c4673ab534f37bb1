import type { ImageFormat } from '../../../src/spec/image-constraints.js';
import { type Answer, errorAnswer, exampleReason } from '../answer.js';
import type { Scenario, ScenarioMatch, ScenarioStep } from '../config/mock-config.js';
import type { MockState } from '../state/mock-state.js';
import type { ImageField } from './image-field.js';

type Range = NonNullable<ScenarioMatch['bytes']>;

/** What a scenario can match on. */
export interface ScenarioContext {
  keyId: string;
  field: ImageField;
  headers: Readonly<Record<string, string | undefined>>;
  /** The image's sha256, lowercase hex: computed once per request by the core for the journal and the result. */
  imageSha256: string;
  /** The image's size in bytes (decoded, for image_base64). */
  imageBytes: number;
  /**
   * What the image is: read by the image stage, or for an image it skips (a cassette's, one the proxy relays) read
   * when a scenario first asks; undefined when its format and size cannot be read.
   */
  image: () => ImageFacts | undefined;
}

/** An image's format and size in pixels, as stored. */
export interface ImageFacts {
  format: ImageFormat;
  width: number;
  height: number;
}

/** The scenarios stage's result: the scenario that took the request, if any, and its answer, if it gives one. */
export interface ScriptedOutcome {
  /** By name, else `#index`: what the journal names. */
  scenario: string;
  /** `undefined`: a step `OK` without a result, which means "carry on as usual". */
  answer: Answer | undefined;
}

interface CompiledScenario {
  readonly scenario: Scenario;
  /** Names the scenario's sequence position in the state; a new version of the book starts new positions. */
  readonly id: string;
  readonly label: string;
  readonly steps: readonly ScenarioStep[];
  readonly loop: boolean;
  readonly header: readonly (readonly [string, string])[];
}

/**
 * The scripted answers of one version of the config, tried in order; the first scenario that matches and still
 * has a step answers. A `respond` scenario is a one-step loop; a `sequence` advances one step per matching request
 * and, unless `loop`, stops matching when used up, so later scenarios and the default behaviour answer again. The
 * positions are running state, taken one step at a time from `MockState`.
 */
export class ScenarioBook {
  private readonly compiled: readonly CompiledScenario[];

  constructor(scenarios: readonly Scenario[] | undefined, version: number) {
    this.compiled = (scenarios ?? []).map((scenario, index) => ({
      scenario,
      id: scenarioStateId(version, index),
      label: scenarioLabel(scenario, index),
      steps: scenario.sequence ?? (scenario.respond ? [scenario.respond] : []),
      loop: scenario.loop === true || scenario.respond !== undefined,
      // Header names are case-insensitive; the adapter lowercases the request's, so lowercase the rule's once.
      header: Object.entries(scenario.match?.header ?? {}).map(([name, value]) => [name.toLowerCase(), value] as const),
    }));
  }

  /** The scenarios stage: the step that answers, or undefined when no scenario applies. */
  async take(context: ScenarioContext, state: MockState): Promise<ScriptedOutcome | undefined> {
    for (const entry of this.compiled) {
      if (!matches(entry, context)) continue;
      const index = await state.takeSequenceStep(entry.id, entry.steps.length, entry.loop);
      const step = index === undefined ? undefined : entry.steps[index];
      if (!step) continue;
      return { scenario: entry.label, answer: scriptedAnswer(step) };
    }
    return undefined;
  }
}

/** The id under which the state keeps a scenario's sequence position: a new config version starts new positions. */
export function scenarioStateId(version: number, index: number): string {
  return `${version}:${index}`;
}

/** What the journal names the scenario at `index`. */
export function scenarioLabel(scenario: Scenario, index: number): string {
  return scenario.name ?? `#${index}`;
}

/**
 * The journal's name for a next answer: a one-shot answer queued by `POST /__admin/next` (`MockState.queueNextAnswer`),
 * the name the code, the admin API and the journal all use for it.
 */
export const NEXT_ANSWER_SCENARIO = 'next answer';

/**
 * The one-shot answers queued for the next calls, taken before the configured scenarios: the admin API's "answer
 * the next call with STATUS". A queued `OK` without a result carries on as usual, like a sequence step.
 */
export async function takeNextAnswer(state: MockState): Promise<ScriptedOutcome | undefined> {
  const step = await state.takeNextAnswer();
  return step === undefined ? undefined : { scenario: NEXT_ANSWER_SCENARIO, answer: scriptedAnswer(step) };
}

function matches(entry: CompiledScenario, context: ScenarioContext): boolean {
  const match = entry.scenario.match;
  if (!match) return true;
  if (match.keyId !== undefined && match.keyId !== context.keyId) return false;
  if (match.field !== undefined && match.field !== context.field) return false;
  for (const [name, value] of entry.header) if (context.headers[name] !== value) return false;
  if (match.imageSha256 !== undefined && match.imageSha256 !== context.imageSha256) return false;
  if (!inRange(context.imageBytes, match.bytes)) return false;
  if (match.format === undefined && match.width === undefined && match.height === undefined && !match.orientation) {
    return true;
  }
  // An image whose format and size cannot be read matches no condition on them.
  const image = context.image();
  if (image === undefined) return false;
  if (match.format !== undefined && match.format !== image.format) return false;
  if (!inRange(image.width, match.width) || !inRange(image.height, match.height)) return false;
  return match.orientation === undefined || match.orientation === orientationOf(image);
}

function inRange(value: number, range: Range | undefined): boolean {
  return range === undefined || ((range.min ?? value) <= value && value <= (range.max ?? value));
}

function orientationOf({ width, height }: ImageFacts): NonNullable<ScenarioMatch['orientation']> {
  return width === height ? 'square' : width > height ? 'landscape' : 'portrait';
}

function scriptedAnswer(step: ScenarioStep): Answer | undefined {
  if (step.status === 'OK') return step.result ? { kind: 'ok', result: step.result } : undefined;
  return errorAnswer(step.status, step.reason ?? exampleReason(step.status));
}
