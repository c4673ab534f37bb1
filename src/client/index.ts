export {
  AccuAuthApiError,
  AccuAuthBadRequestError,
  AccuAuthError,
  AccuAuthForbiddenError,
  AccuAuthInternalError,
  AccuAuthNetworkError,
  AccuAuthNotFoundError,
  AccuAuthResponseError,
  AccuAuthTimeoutError,
  AccuAuthUnauthorizedError,
  type ResponseProblem,
} from './client-errors.js';
export { type AccuAuthClient, type ClientOptions, createClient, type PredictGenderOptions } from './create-client.js';
export type { PredictGenderInput } from './request-body.js';
export type { RetryOptions } from './retry-policy.js';
