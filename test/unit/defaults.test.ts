import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_BASE_URL, RUN_DEFAULTS, TOOL_NAME, TOOL_VERSION } from '../../src/core/defaults';
import { SECTION, SETTING_DEFAULTS } from '../../src/extension/view-models/settings';

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  contributes: { configuration: { properties: Record<string, { default: unknown }> } };
};
const contributed = pkg.contributes.configuration.properties;

describe('defaults live in one place', () => {
  it('package.json declares exactly the settings the extension reads, with the same defaults', () => {
    const declared = Object.keys(contributed).map((key) => key.replace(`${SECTION}.`, '')).sort();
    assert.deepEqual(declared, Object.keys(SETTING_DEFAULTS).sort());
    for (const [key, value] of Object.entries(SETTING_DEFAULTS)) assert.deepEqual(contributed[`${SECTION}.${key}`].default, value, key);
  });

  it('the settings that a run shares with the CLI and core take core\'s defaults', () => {
    const setting = (key: string) => contributed[`${SECTION}.${key}`].default;
    assert.deepEqual(setting('teacher.baseUrls'), [DEFAULT_BASE_URL]);
    assert.equal(setting('teacher.temperature'), RUN_DEFAULTS.temperature);
    assert.equal(setting('generation.concurrency'), RUN_DEFAULTS.concurrency);
    assert.equal(setting('generation.threshold'), RUN_DEFAULTS.threshold);
    assert.equal(setting('generation.maxSteps'), RUN_DEFAULTS.maxSteps);
    assert.equal(setting('generation.demonstrations'), RUN_DEFAULTS.demonstrations);
  });

  it('the package is the tool that runs record', () => {
    assert.equal(pkg.name, TOOL_NAME);
    assert.equal(pkg.version, TOOL_VERSION);
  });
});
