/** Each size-limit flag of the `fabric` command, end to end: a real process, its diagnostics and exit code. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const bin = join(process.cwd(), 'bin/fabric.js');
const dir = mkdtempSync(join(tmpdir(), 'fabric-limits-'));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The codes and messages `fabric check --format json` reports for the entry file. */
function checkJson(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, 'check', '--no-simulate', '--format', 'json', ...args], { encoding: 'utf8' });
  const diagnostics = (JSON.parse(result.stdout).files as { diagnostics: { code: string; message: string }[] }[]).flatMap((file) => file.diagnostics);
  return { code: result.status, diagnostics };
}

const fabric = write('fabric.fabric', 'fabric f {\n  gpu g[4]\n  switch s\n  for i in 0..3 { link g[i] <-> s : pcie6 x16 }\n  workload w { parallel { allreduce 1 MiB over g[*] } }\n}\n');
write('lib2.fabric', 'model deep : gpu\n');
write('lib1.fabric', 'import "lib2.fabric"\n');
const importer = write('importer.fabric', 'import "lib1.fabric"\nfabric f { gpu g : deep }\n');

const FLAGS: [string, string, string, RegExp][] = [
  ['--max-devices', '3', fabric, /more than 3 devices/],
  ['--max-links', '2', fabric, /more than 2 links/],
  ['--max-loop-iterations', '2', fabric, /loops run more than 2 iterations/],
  ['--max-nesting-depth', '2', fabric, /nesting deeper than 2 levels/],
  ['--max-import-depth', '1', importer, /imports nest deeper than 1 files/],
  ['--max-file-size', '20', fabric, /over the limit of 20;/],
];

describe('fabric check: the size-limit flags', () => {
  it('the fabric and the importer pass at the default limits', () => {
    for (const file of [fabric, importer]) assert.deepEqual(checkJson(file).diagnostics.filter((d) => d.code === 'limit'), []);
  });

  for (const [flag, value, file, message] of FLAGS) {
    it(`${flag} ${value} ends in a limit error, exit code 1`, () => {
      for (const args of [[flag, value], [`${flag}=${value}`]]) {
        const result = checkJson(...args, file);
        assert.equal(result.code, 1);
        const limits = result.diagnostics.filter((d) => d.code === 'limit');
        assert.equal(limits.length, 1, JSON.stringify(result.diagnostics));
        assert.match(limits[0].message, message);
      }
    });
  }
});
