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

  it('lowers a limit above its safe maximum, and ignores one that is not a finite number', () => {
    const settings = readSettings({ fabric: { limits: { maxNestingDepth: 60_000, maxDevices: 1e300, maxLinks: Infinity, maxImportDepth: 12.7 } } });
    assert.deepEqual(settings.limits, { maxNestingDepth: 256, maxDevices: 1_000_000, maxImportDepth: 12 });
  });

  it('reads the diagnostic limit as a whole number, 0 for all', () => {
    assert.equal(readSettings({ fabric: { diagnostics: { maxPerFile: 0 } } }).maxDiagnosticsPerFile, 0);
    assert.equal(readSettings({ fabric: { diagnostics: { maxPerFile: 20.9 } } }).maxDiagnosticsPerFile, 20);
    assert.equal(readSettings({ fabric: { diagnostics: { maxPerFile: -4 } } }).maxDiagnosticsPerFile, 0);
  });

  it('raises a time budget under the declared minimum of 100 ms, and a negative debounce to none', () => {
    const settings = readSettings({ fabric: { diagnostics: { debounceMs: -5 }, simulation: { timeBudgetMs: 0 } } });
    assert.equal(settings.simulationBudgetMs, 100);
    assert.equal(settings.debounceMs, 0);
  });
});
