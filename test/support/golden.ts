/**
 * Expect tests in the style of rust-analyzer: compare with a file beside the fixture;
 * `UPDATE_EXPECT=1 npm test` rewrites the expectations (review the diff before committing).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export function expectFile(actual: string, path: string): void {
  if (process.env.UPDATE_EXPECT === '1') {
    writeFileSync(path, actual);
    return;
  }
  assert.ok(existsSync(path), `${path} is missing; run with UPDATE_EXPECT=1 to create it`);
  assert.equal(actual, readFileSync(path, 'utf8'), `${path} differs; run with UPDATE_EXPECT=1 to update it after reviewing`);
}
