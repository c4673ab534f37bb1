/**
 * Friendly names for the generated types. Everything here is an alias of `generated/predict-gender.ts`, which
 * openapi-typescript writes from the spec (`npm run generate`); nothing is typed by hand.
 */
import type { components, operations, paths } from './generated/predict-gender.js';

type Schemas = components['schemas'];

export type { components, operations, paths };
export type PredictGenderRequest = Schemas['PredictGenderRequest'];
export type FileUpload = Schemas['FileUpload'];
export type Base64Upload = Schemas['Base64Upload'];
export type PredictGenderResult = Schemas['PredictGenderResult'];
export type PredictGenderResponse = Schemas['PredictGenderResponse'];
export type Gender = PredictGenderResult['gender'];
export type ErrorStatus = Schemas['ErrorStatus'];
export type ErrorResponse = Schemas['ErrorResponse'];
export type BadRequestError = Schemas['BadRequestError'];
export type UnauthorizedError = Schemas['UnauthorizedError'];
export type ForbiddenError = Schemas['ForbiddenError'];
export type NotFoundError = Schemas['NotFoundError'];
export type InternalError = Schemas['InternalError'];
/** Every body the endpoint can answer with. */
export type AnyResponse = PredictGenderResponse | ErrorResponse;
/** The status value of any answer: `OK` or an error status. */
export type StatusValue = PredictGenderResponse['status'] | ErrorStatus;
