/**
 * Fixture folders (typescript-eslint style): test/fixtures/check/<case>/main.fabric, any files it
 * imports, and expected.txt with the diagnostics as `fabric check` prints them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { formatText } from '../../server/src/cli/format.js';
import { catalog, checkText } from '../../server/src/model/check.js';
import type { SourceFile } from '../../server/src/syntax/source.js';
import { expectFile } from '../support/golden.js';

const root = 'test/fixtures/check';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('check fixtures', () => {
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    it(name, () => {
      const texts = new Map(
        filesUnder(dir)
          .filter((path) => path.endsWith('.fabric'))
          .map((path) => [relative(dir, path).replace(/\\/g, '/'), readFileSync(path, 'utf8')]),
      );
      const result = checkText('main.fabric', texts.get('main.fabric') ?? '', { read: (path) => texts.get(path) });
      const sources = new Map<string, SourceFile>(result.program.files.map((file) => [file.source.path, file.source]));
      sources.set(catalog().source.path, catalog().source);
      const text = formatText([{ path: 'main.fabric', diagnostics: result.diagnostics }], (path) => sources.get(path));
      expectFile(text + '\n', join(dir, 'expected.txt'));
    });
  }
});
