import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import { Ajv, type ValidateFunction } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };

// A CommonJS package of JSON files without types: its index maps each HAR object's name to its schema.
const harSchemas = createRequire(import.meta.url)('har-schema') as Record<string, { $id: string }>;

let validate: ValidateFunction | undefined;

/**
 * Checks a value against the HAR 1.2 JSON Schema of the `har-schema` package (draft-06, one schema per HAR object,
 * linked by `$ref`), with ajv. Returns the errors as `path message` lines, empty when the value is a valid HAR.
 * The package's schemas carry non-standard keywords (`optional`, `min`), hence `strict: false`.
 */
export function harSchemaErrors(value: unknown): string[] {
  if (validate === undefined) {
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addMetaSchema(draft06);
    ajv.addFormat('date-time', (text: string) => !Number.isNaN(Date.parse(text)));
    ajv.addFormat('uri', (text: string) => URL.canParse(text));
    ajv.addFormat('ipv4', (text: string) => isIP(text) === 4);
    ajv.addFormat('ipv6', (text: string) => isIP(text) === 6);
    for (const [name, schema] of Object.entries(harSchemas)) if (name !== 'har') ajv.addSchema(schema);
    validate = ajv.compile(harSchemas.har as object);
  }
  const check = validate;
  return check(value) ? [] : (check.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`);
}
