import { computeOnce } from '../compute-once.js';
import type { Gender } from '../types.js';
import { loadSpec, type SchemaObject, type SpecDocument } from './spec-document.js';

/** What an OK result's variants are, as the spec states them: the genders, and the confidences' threshold. */
export interface ResultVariants {
  genders: readonly Gender[];
  /** The vendor's "default threshold" of confidence and beard_confidence (Confidence's `x-default-threshold`). */
  confidenceThreshold: number;
}

export function readResultVariants(spec: SpecDocument = loadSpec()): ResultVariants {
  const { PredictGenderResult: result, Confidence: confidence } = spec.components.schemas;
  const gender = (result?.properties as Record<string, SchemaObject> | undefined)?.gender;
  const genders = gender?.enum;
  if (!Array.isArray(genders)) throw new Error('the spec has no PredictGenderResult.gender enum');
  const threshold = confidence?.['x-default-threshold'];
  if (typeof threshold !== 'number') throw new Error('the spec has no Confidence.x-default-threshold number');
  return { genders: genders as Gender[], confidenceThreshold: threshold };
}

/** The packaged spec's result variants, read once. */
export const resultVariants = computeOnce(() => readResultVariants());
