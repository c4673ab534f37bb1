/**
 * The JSON Schema of the mock config's `decisions:` block, made from the spec's `x-decisions` by `npm run generate`
 * and written into `mock/core/config/mock-config.schema.json` (one schema file, so an editor that reads it needs
 * nothing else). Each decision is an enum of its alternatives, defaulting to the spec's choice; the config loader
 * words an enum error as `decisions.both-fields must be one of file, image_base64, reject`. Like decisions-module.ts
 * it runs on the raw YAML document, before any generated file exists.
 */
export function decisionsConfigSchema(document: unknown): Record<string, unknown> {
  const operation = (document as { paths?: Record<string, { post?: Record<string, unknown> }> }).paths?.[
    '/face/predict_gender'
  ]?.post;
  const raw = operation?.['x-decisions'];
  if (typeof raw !== 'object' || raw === null) throw new Error("the spec's operation has no x-decisions object");
  const properties: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(
    raw as Record<string, { summary?: string; choice?: string; alternatives?: Record<string, string> }>,
  )) {
    const alternatives = entry.alternatives ?? {};
    const meanings = Object.entries(alternatives)
      .map(([alternative, meaning]) => `${alternative}: ${meaning}`)
      .join(' ');
    properties[name] = {
      enum: Object.keys(alternatives),
      default: entry.choice,
      description: `${entry.summary ?? name} Default (the spec's choice): ${entry.choice}. ${meanings}`,
    };
  }
  return {
    type: 'object',
    additionalProperties: false,
    description:
      "Where the vendor documentation is silent, which reading the mock takes (the spec's x-decisions). Each " +
      "defaults to the spec's choice; `accuauth-kit drift` writes a mock-profile.yaml with the readings the live API showed.",
    properties,
  };
}
