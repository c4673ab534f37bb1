import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import configSchema from '../../mock/core/config/mock-config.schema.json' with { type: 'json' };
import { MockConfigError, type StartMockOptions, startMock } from '../../mock/index.js';
import { makeJpeg } from '../../src/image/sample-images.js';
import { errorCatalogue } from '../../src/spec/error-catalogue.js';
import { expectAnswer } from '../support/documented-answer.js';
import { callPredict } from '../support/predict-request.js';
import { scratchFolder } from '../support/scratch-folder.js';

const dir = scratchFolder('mock-config');
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const refusal = async (config: StartMockOptions['config']) => {
  const error = await startMock({ port: 0, ...(config === undefined ? {} : { config }) }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(MockConfigError);
  return (error as MockConfigError).reason;
};

describe('config file: YAML or JSON, validated against the published JSON Schema', () => {
  it('a YAML file with keys and scenarios is served', async () => {
    const path = file(
      'ok.yaml',
      [
        'keys:',
        '  - id: k1',
        '    secret: s1',
        'scenarios:',
        '  - match: { keyId: k1 }',
        '    respond: { status: DETECTION_FAILED }',
      ].join('\n'),
    );
    const mock = await startMock({ port: 0, config: path });
    try {
      const credentials = { 'x-df-api-id': 'k1', 'x-df-api-secret': 's1' };
      expectAnswer(
        await callPredict(mock.url, { credentials, file: makeJpeg({ width: 130, height: 130 }) }),
        'DETECTION_FAILED',
      );
    } finally {
      await mock.close();
    }
  });

  it('an empty file is the default behaviour; JSON is accepted', async () => {
    for (const path of [file('empty.yaml', ''), file('c.json', '{"journal": {"limit": 5}}')]) {
      const mock = await startMock({ port: 0, config: path });
      await mock.close();
    }
  });

  it('a bad field is refused with its path and what was expected', async () => {
    expect(await refusal({ keys: [{ id: 'k', secret: 's', quota: -1 }] } as never)).toBe('keys[0].quota must be >= 0');
    expect(await refusal({ keys: [{ id: 'k', secret: 's', qouta: 1 }] } as never)).toBe(
      'keys[0] has an unknown property "qouta"',
    );
    expect(await refusal({ keys: [{ id: 'k' }] } as never)).toBe('keys[0] must have the property "secret"');
    expect(await refusal({ scenarios: [{ respond: { status: 'BROKEN' } }] } as never)).toMatch(
      /^scenarios\[0\]\.respond\.status must be one of OK, INVALID_ARGUMENT/,
    );
    expect(await refusal({ scenarios: [{ match: {} }] } as never)).toMatch(/^scenarios\[0\]/);
    expect(await refusal({ latency: { minMs: 50, maxMs: 10 } })).toMatch(/latency\.minMs/);
    expect(await refusal({ keys: [{ id: 'k', secret: 's', expiresAt: 'tomorrow' }] })).toMatch(
      /keys\[0\]\.expiresAt must match format "date-time"/,
    );
    expect(await refusal({ scenarios: [{ respond: { status: 'OK', result: { gender: 'Other' } } }] } as never)).toMatch(
      /scenarios\[0\]\.respond\.result.*PredictGenderResult/,
    );
  });

  it('file errors name the file: unreadable, not YAML', async () => {
    expect(await refusal(join(dir, 'missing.yaml'))).toMatch(/missing\.yaml: cannot read/);
    expect(await refusal(file('bad.yaml', 'keys: [unclosed'))).toMatch(/bad\.yaml: not valid YAML or JSON/);
  });

  it("the schema's status values are the spec's (OK plus the ten error statuses)", () => {
    const step = configSchema.$defs.Step.properties.status.enum;
    expect(step).toEqual(['OK', ...errorCatalogue().keys()]);
  });
});
