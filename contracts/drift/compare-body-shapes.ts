/**
 * How the shape of one JSON value differs from another's: fields added, missing or retyped, and arrays of another
 * length, each named by its path (`result.extra_field added`). Values themselves are not compared: a live answer's
 * confidence or request id differs from the mock's every time, its shape should not.
 */
export function compareBodyShapes(target: unknown, reference: unknown, path = ''): string[] {
  const targetType = jsonTypeOf(target);
  const referenceType = jsonTypeOf(reference);
  const where = path === '' ? 'body' : path;
  if (targetType !== referenceType) return [`${where} retyped: ${targetType}, expected ${referenceType}`];
  if (Array.isArray(target) && Array.isArray(reference)) {
    const differences =
      target.length === reference.length ? [] : [`${where} has ${target.length} items, expected ${reference.length}`];
    const common = Math.min(target.length, reference.length);
    for (let index = 0; index < common; index++) {
      differences.push(...compareBodyShapes(target[index], reference[index], `${where}[${index}]`));
    }
    return differences;
  }
  if (targetType !== 'object') return [];
  const targetObject = target as Record<string, unknown>;
  const referenceObject = reference as Record<string, unknown>;
  const child = (key: string) => (path === '' ? key : `${path}.${key}`);
  const differences: string[] = [];
  for (const key of Object.keys(targetObject)) {
    if (!(key in referenceObject)) differences.push(`${child(key)} added`);
  }
  for (const key of Object.keys(referenceObject)) {
    if (!(key in targetObject)) differences.push(`${child(key)} missing`);
    else differences.push(...compareBodyShapes(targetObject[key], referenceObject[key], child(key)));
  }
  return differences;
}

/** JSON's own type names; integers and fractions are both `number`, as JSON does not tell them apart either. */
function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
