/** The language server's reading of the `fabric.*` settings a client sends. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readSettings } from '../../server/src/lsp/settings.js';
import { DEFAULT_SETTINGS } from '../../server/src/lsp/workspace.js';

describe('server settings', () => {
  it('takes the values a client sends, under `fabric` or bare', () => {
    const sent = { diagnostics: { debounceMs: 20, maxPerFile: 50 }, simulation: { onChange: false, timeBudgetMs: 5_000 }, limits: { maxDevices: 10 } };
    const expected = { debounceMs: 20, simulateOnChange: false, simulationBudgetMs: 5_000, maxDiagnosticsPerFile: 50, limits: { maxDevices: 10 } };
    assert.deepEqual(readSettings({ fabric: sent }), expected);
    assert.deepEqual(readSettings(sent), expected);
  });

  it('keeps the defaults for missing or malformed values', () => {
    assert.deepEqual(readSettings(undefined), DEFAULT_SETTINGS);
    assert.deepEqual(readSettings({ fabric: { diagnostics: { debounceMs: 'soon' }, simulation: { onChange: 1, timeBudgetMs: Infinity } } }), DEFAULT_SETTINGS);
  });

  it('raises a time budget under the declared minimum of 100 ms, and a negative debounce to none', () => {
    const settings = readSettings({ fabric: { diagnostics: { debounceMs: -5 }, simulation: { timeBudgetMs: 0 } } });
    assert.equal(settings.simulationBudgetMs, 100);
    assert.equal(settings.debounceMs, 0);
  });
});
