// @pactflow/swagger-mock-validator ships no type declarations (its package.json names a file it does not
// publish); these cover the programmatic API the pact/spec cross-check uses, as its dist/ implements it.
declare module '@pactflow/swagger-mock-validator' {
  export interface ValidationResult {
    code: string;
    message: string;
    type: 'error' | 'warning';
    mockDetails?: { interactionDescription?: string; interactionState?: string; location?: string; value?: unknown };
    specDetails?: { location?: string; pathMethod?: string; pathName?: string; value?: unknown };
  }
  export interface ValidationOutcome {
    success: boolean;
    failureReason?: string;
    errors: ValidationResult[];
    warnings: ValidationResult[];
  }
  export interface ValidateOptions {
    specPathOrUrl: string;
    mockPathOrUrl: string;
    /** 'true' | 'false', as on the command line; defaults to 'false' (extra response properties are errors). */
    additionalPropertiesInResponse?: 'true' | 'false';
    /** 'true' | 'false'; defaults to 'false' (missing required response properties are not reported). */
    requiredPropertiesInResponse?: 'true' | 'false';
  }
  export interface SwaggerMockValidator {
    validate(options: ValidateOptions): Promise<ValidationOutcome>;
  }
  export const SwaggerMockValidatorFactory: { create(auth?: string): SwaggerMockValidator };
}
