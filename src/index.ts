export * from './client/index.js';
export { type Base64Decoding, decodeImageBase64 } from './image/base64-image.js';
export {
  type ImageVerdict,
  type InspectionOptions,
  inspectImage,
  inspectImageThoroughly,
} from './image/image-inspection.js';
export { imageSha256, predictFromImage } from './image/predicted-face.js';
export {
  makeHeaderOnlyImage,
  makeJpeg,
  makePng,
  pngChunk,
  type SampleImageOptions,
  type SampleJpegOptions,
} from './image/sample-images.js';
export { newRequestId } from './request-id.js';
export {
  buildErrorCatalogue,
  type CatalogueEntry,
  type ErrorCatalogue,
  errorCatalogue,
  httpCodeOf,
} from './spec/error-catalogue.js';
export {
  type ImageConstraints,
  type ImageFormat,
  imageConstraints,
  readImageConstraints,
} from './spec/image-constraints.js';
export { type NamedExample, namedExamples, readNamedExamples } from './spec/named-examples.js';
export { findSpecPath, loadSpec, PREDICT_GENDER_PATH, type SpecDocument } from './spec/spec-document.js';
export type * from './types.js';
export {
  createSpecValidators,
  type SpecValidators,
  specValidators,
  type Validation,
} from './validation/spec-validators.js';
