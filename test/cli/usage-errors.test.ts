/**
 * Every command's usage mistakes and unreadable inputs: one clear line on stderr, exit code 2,
 * never a stack trace (§10). Run as root, the unreadable-file cases drop to the `nobody` user,
 * since root reads files whatever their mode.
 */
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const bin = join(process.cwd(), 'bin/fabric.js');
const NOBODY = 65534;

const dir = mkdtempSync(join(tmpdir(), 'fabric-usage-'));
chmodSync(dir, 0o755);
mkdirSync(join(dir, 'folder'));
const good = join(dir, 'good.fabric');
writeFileSync(good, 'fabric f {\n  gpu g[2]\n  switch s\n  for i in 0..1 { link g[i] <-> s : pcie6 x16 }\n}\n');
const secret = join(dir, 'secret.fabric');
writeFileSync(secret, 'fabric f { }\n');
chmodSync(secret, 0o000);
const missing = join(dir, 'nope.fabric');
const folder = join(dir, 'folder');
// `nobody` may not reach the checkout (a clone in a private folder), so it runs a copy of the
// self-contained CLI bundle from this world-readable folder.
const asRoot = process.getuid?.() === 0;
if (asRoot) copyFileSync(join(process.cwd(), 'out/cli.js'), join(dir, 'cli.js'));
const asOtherUser: SpawnSyncOptions = asRoot ? { uid: NOBODY, gid: NOBODY, cwd: dir } : {};

function fabric(args: string[], options: SpawnSyncOptions = {}) {
  const program = options.uid === undefined ? bin : join(dir, 'cli.js');
  const result = spawnSync(process.execPath, [program, ...args], { encoding: 'utf8', ...options });
  return { code: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** Each command with the arguments that come after its FILE. */
const COMMANDS: [string, string[]][] = [
  ['check', []],
  ['simulate', []],
  ['latency', ['g[0]', 'g[1]']],
  ['report', []],
];

const CASES: [string, (command: string, rest: string[]) => string[], RegExp, SpawnSyncOptions?][] = [
  ['a missing file', (command, rest) => [command, missing, ...rest], /^fabric: cannot read .*nope\.fabric: no such file$/],
  ['a directory', (command, rest) => [command, folder, ...rest], /^fabric: .*folder is a directory; pass \.fabric files, e\.g\. .*folder\/\*\.fabric$/],
  ['a path through a file', (command, rest) => [command, join(good, 'inner.fabric'), ...rest], /^fabric: cannot read .*inner\.fabric: a part of the path is a file, not a directory$/],
  ['an unreadable file', (command, rest) => [command, secret, ...rest], /^fabric: cannot read .*secret\.fabric: permission denied$/, asOtherUser],
  ['an unknown format', (command, rest) => [command, '--format', 'xml', good, ...rest], /^fabric: unknown format `xml`; use [a-z, ]+ or [a-z]+$/],
  ['an unknown flag', (command, rest) => [command, '--fast', good, ...rest], /^fabric: unknown option `--fast` for fabric [a-z]+; run `fabric --help`$/],
  ['a negative limit', (command, rest) => [command, '--max-devices', '-1', good, ...rest], /^fabric: --max-devices needs a whole number, not `-1`$/],
  ['a fractional limit', (command, rest) => [command, '--max-links=1.5', good, ...rest], /^fabric: --max-links needs a whole number, not `1\.5`$/],
  ['an empty limit', (command, rest) => [command, '--max-file-size=', good, ...rest], /^fabric: --max-file-size needs a whole number, not ``$/],
  ['a limit without its value', (command, rest) => [command, good, ...rest, '--max-nesting-depth'], /^fabric: --max-nesting-depth needs a value$/],
];

describe('usage errors of every command: one line, exit code 2, no stack trace', () => {
  for (const [command, rest] of COMMANDS) {
    for (const [what, args, message, options] of CASES) {
      it(`fabric ${command}: ${what}`, () => {
        const result = fabric(args(command, rest), options);
        assert.equal(result.code, 2, result.stderr);
        assert.equal(result.stderr.trimEnd().split('\n').length, 1, result.stderr);
        assert.match(result.stderr.trimEnd(), message);
        assert.equal(result.stdout, '');
      });
    }
  }

  const REPORT_CASES: [string, string[], RegExp][] = [
    ['an unknown theme', ['report', '--theme', 'sepia', good], /^fabric: unknown theme `sepia`; use auto, light or dark$/],
    ['an --out it cannot tell the format of', ['report', '--out', join(dir, 'report.txt'), good], /^fabric: cannot tell the format from .*report\.txt; end it in \.html, \.svg or \.json, or pass --format$/],
    ['an --out in a missing folder', ['report', '--out', join(dir, 'no', 'report.html'), good], /^fabric: cannot write .*report\.html: no such file$/],
    ['an --out that is a folder', ['report', '--format', 'html', '--out', folder, good], /^fabric: cannot write .*folder: it is a directory$/],
    ['two files as SVG', ['report', '--format', 'svg', good, good], /^fabric: an SVG holds one topology/],
  ];
  for (const [what, args, message] of REPORT_CASES) {
    it(`fabric report: ${what}`, () => {
      const result = fabric(args);
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stderr.trimEnd().split('\n').length, 1, result.stderr);
      assert.match(result.stderr.trimEnd(), message);
    });
  }

  it('a binary file is read as text: syntax errors, exit code 1, no crash', () => {
    const binary = join(dir, 'binary.fabric');
    writeFileSync(binary, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    const result = fabric(['check', binary]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /error\[syntax\]/);
    assert.equal(result.stderr, '');
  });

  it('a reader that closes the pipe early ends the output quietly, with no stack trace', () => {
    // `head -c 1` reads one byte and exits, so most of the report's page (over the 64 KiB a pipe buffers) meets a closed pipe.
    const pod = join(process.cwd(), 'examples/ualink_pod.fabric');
    const result = spawnSync('sh', ['-c', `"${process.execPath}" "${bin}" report "${pod}" | head -c 1 >/dev/null`], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, '');
  });
});
