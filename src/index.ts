// The typed client: createClient, its options and the errors it throws (docs/types-and-client.md).
export * from './client/index.js';
// Image inspection under the spec's constraints, as the mock judges an upload (docs/spec.md).
export {
  type ImageVerdict,
  type InspectionOptions,
  inspectImage,
  inspectImageThoroughly,
} from './image/image-inspection.js';
export { imageSha256 } from './image/predicted-face.js';
// Images for tests and scenarios: valid sample images, and the digest a scenario's `match.imageSha256` compares.
export { makeJpeg, makePng, type SampleImageOptions, type SampleJpegOptions } from './image/sample-images.js';
export { type CatalogueEntry, type ErrorCatalogue, errorCatalogue, httpCodeOf } from './spec/error-catalogue.js';
export { type ImageConstraints, type ImageFormat, imageConstraints } from './spec/image-constraints.js';
export { type NamedExample, namedExamples } from './spec/named-examples.js';
// The spec as data: its path, its documented errors and examples, and validators for its bodies.
export { loadSpec, PREDICT_GENDER_PATH, type SpecDocument } from './spec/spec-document.js';
// The generated types of the spec, by their friendly names (also type-only at `accuauth-kit/types`).
export type * from './types.js';
export { type SpecValidators, specValidators, type Validation } from './validation/spec-validators.js';
