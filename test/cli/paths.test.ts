/**
 * The paths `fabric` reads and writes, through the real binary: inputs that are not regular files
 * are refused before they are read, the size limit holds on a file's size before its contents are
 * read, and a report never lands on a file the command reads or on any `.fabric` file, and
 * replaces its old output whole or not at all.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const bin = join(process.cwd(), 'bin/fabric.js');
const dir = mkdtempSync(join(tmpdir(), 'fabric-paths-'));

/** Runs `fabric`; a read that blocked would end at the guard's timeout, and fail on `signal`, rather than hang the suite. */
function fabric(args: string[], { cwd = dir, shell }: { cwd?: string; shell?: string } = {}) {
  const command = shell === undefined ? [process.execPath, bin, ...args] : ['sh', '-c', `${shell}; exec "$0" "$@"`, process.execPath, bin, ...args];
  const result = spawnSync(command[0], command.slice(1), { encoding: 'utf8', cwd, timeout: 60_000 });
  assert.equal(result.signal, null, `fabric ${args.join(' ')} was stopped: it blocked`);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const POD = 'fabric f {\n  gpu g[2] : lib_gpu\n  switch s\n  for i in 0..1 { link g[i] <-> s : pcie6 x16 }\n}\n';
const lib = write('lib.fabric', 'model lib_gpu : gpu\n');
const pod = write('pod.fabric', `import "lib.fabric"\n${POD}`);
const fifo = join(dir, 'pipe.fabric');
spawnSync('mkfifo', [fifo]);
const folder = join(dir, 'folder.fabric');
mkdirSync(folder);
const socket = join(dir, 'socket.fabric');
/** 64 GiB without a byte on disk: reading it whole would take longer than the test and more memory than the machine has. */
const huge = join(dir, 'huge.fabric');
writeFileSync(huge, '');
truncateSync(huge, 64 * 1024 ** 3);

/** Each command with the arguments that come after its FILE. */
const COMMANDS: [string, string[]][] = [
  ['check', []],
  ['simulate', []],
  ['latency', ['g[0]', 'g[1]']],
  ['report', []],
];

/** What each kind of path that is not a regular file says, as `fabric` is given it. */
const NOT_FILES: [string, string, RegExp][] = [
  ['a character device', '/dev/zero', /^fabric: \/dev\/zero is a character device, not a regular file; pass a \.fabric file$/],
  ['a FIFO with no writer', fifo, /^fabric: .*pipe\.fabric is a FIFO \(named pipe\), not a regular file; pass a \.fabric file$/],
  ['a directory named like a fabric', folder, /^fabric: .*folder\.fabric is a directory; pass \.fabric files, e\.g\. .*folder\.fabric\/\*\.fabric$/],
  ['a socket', socket, /^fabric: .*socket\.fabric is a socket, not a regular file; pass a \.fabric file$/],
];

let server: Server;
before(() => new Promise<void>((resolve) => (server = createServer().listen(socket, resolve))));
after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('fabric: an input that is not a regular file is refused before it is read, exit code 2', () => {
  for (const [command, rest] of COMMANDS) {
    for (const [what, path, message] of NOT_FILES) {
      it(`fabric ${command}: ${what}`, () => {
        const result = fabric([command, path, ...rest]);
        assert.equal(result.code, 2, result.stderr);
        assert.match(result.stderr.trimEnd(), message);
        assert.equal(result.stderr.trimEnd().split('\n').length, 1, result.stderr);
        assert.equal(result.stdout, '');
      });
    }
  }

  it('the FIFO was never opened for reading: a writer waiting on it still finds no reader', () => {
    fabric(['check', fifo]);
    // Opening a FIFO to write without blocking fails with ENXIO exactly when no process holds it open to read.
    const probe = spawnSync(process.execPath, ['-e', `try { require('fs').openSync(${JSON.stringify(fifo)}, require('fs').constants.O_WRONLY | require('fs').constants.O_NONBLOCK); console.log('reader') } catch (e) { console.log(e.code) }`], { encoding: 'utf8' });
    assert.equal(probe.stdout.trim(), 'ENXIO');
  });
});

/** The `limit` diagnostics `fabric check --format json` reports, and its exit code. */
function limitsOf(...args: string[]) {
  const result = fabric(['check', '--no-simulate', '--format', 'json', ...args]);
  const files = JSON.parse(result.stdout).files as { diagnostics: { code: string; file: string; message: string }[] }[];
  return { code: result.code, limits: files.flatMap((file) => file.diagnostics).filter((d) => d.code === 'limit'), stderr: result.stderr };
}

describe('fabric: the file-size limit holds on the size of a file before it is read', () => {
  it('a 64 GiB file is refused by its size: a limit error, exit code 1', () => {
    for (const args of [[huge], ['--max-file-size', '1000', huge]]) {
      const result = limitsOf(...args);
      assert.equal(result.code, 1, result.stderr);
      assert.equal(result.limits.length, 1, JSON.stringify(result.limits));
      const limit = args.length === 1 ? '8,388,608' : '1,000';
      assert.equal(result.limits[0].message, `the file's 68,719,476,736 bytes hold more than ${limit} characters, over the limit of ${limit}; split it with \`import\` or raise the file-size limit`);
    }
  });

  it('an imported 64 GiB file is refused by its size, with the limit error in that file', () => {
    const importer = write('imports-huge.fabric', `import "huge.fabric"\n${POD.replace(' : lib_gpu', '')}`);
    const result = limitsOf(importer);
    assert.equal(result.code, 1, result.stderr);
    assert.deepEqual(result.limits.map((d) => d.file), [huge]);
    assert.match(result.limits[0].message, /^the file's 68,719,476,736 bytes hold more than 8,388,608 characters, over the limit of 8,388,608;/);
  });

  it('the bound is three bytes a character: 3,000 bytes are read and measured, 3,001 are not read', () => {
    const measured = limitsOf('--max-file-size', '1000', write('ascii-3000.fabric', `// ${'x'.repeat(2997)}`));
    assert.equal(measured.limits.length, 1);
    assert.match(measured.limits[0].message, /^the file has 3,000 characters, over the limit of 1,000;/);
    const refused = limitsOf('--max-file-size', '1000', write('ascii-3001.fabric', `// ${'x'.repeat(2998)}`));
    assert.equal(refused.limits.length, 1);
    assert.match(refused.limits[0].message, /^the file's 3,001 bytes hold more than 1,000 characters, over the limit of 1,000;/);
  });

  it('a file of more bytes than the limit but no more characters is read and checked', () => {
    // 2,958 bytes in 1,000 characters: each `€` takes three bytes.
    const text = `fabric f { gpu g }\n//${'€'.repeat(979)}`;
    assert.equal(text.length, 1000);
    const result = fabric(['check', '--no-simulate', '--max-file-size', '1000', write('euros.fabric', text)]);
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stdout, /warning\[unused-device\]: g has no links/);
  });
});

/** Runs a report that must be refused, and checks that `target` is exactly as it was. */
function refusedOver(target: string, args: string[], message: RegExp) {
  const before = existing(target);
  const result = fabric(['report', ...args]);
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr.trimEnd(), message);
  assert.equal(result.stderr.trimEnd().split('\n').length, 1, result.stderr);
  assert.deepEqual(existing(target), before, `${target} changed`);
}

/** What is at `path`: its identity and, for a regular file, its text (a FIFO is never read: that would block). */
function existing(path: string): { text?: string; mtimeMs: number; ino: number } | undefined {
  try {
    const stats = statSync(path);
    return { text: stats.isFile() ? readFileSync(path, 'utf8') : undefined, mtimeMs: stats.mtimeMs, ino: stats.ino };
  } catch {
    return undefined;
  }
}

describe('fabric report --out: never over a file the command reads, nor over a .fabric file', () => {
  it('an --out that is the input itself', () => {
    const input = write('pod-as-text.html', `import "lib.fabric"\n${POD}`);
    refusedOver(input, ['--out', input, input], /^fabric: --out .*pod-as-text\.html is a file this report reads; write the report to another path$/);
  });

  it('an --out that is the input under another name (a hard link)', () => {
    const twin = join(dir, 'twin.html');
    linkSync(pod, twin);
    refusedOver(pod, ['--out', twin, pod], /^fabric: --out .*twin\.html is the same file as .*pod\.fabric, which this report reads; write the report to another path$/);
  });

  it('an --out that is a file the input imports', () => {
    refusedOver(lib, ['--out', lib, '--format', 'html', pod], /^fabric: --out .*lib\.fabric names a \.fabric file, which a report never overwrites; end --out in \.html, \.svg or \.json$/);
    const alias = join(dir, 'lib-alias.json');
    linkSync(lib, alias);
    refusedOver(lib, ['--out', alias, pod], /^fabric: --out .*lib-alias\.json is the same file as .*lib\.fabric, which this report reads; write the report to another path$/);
  });

  it('an --out that is any .fabric path, existing or not, in any case', () => {
    const other = write('other.fabric', POD);
    refusedOver(other, ['--out', other, '--format', 'json', pod], /^fabric: --out .*other\.fabric names a \.fabric file, which a report never overwrites/);
    for (const name of ['new.fabric', 'NEW.FABRIC']) {
      const path = join(dir, name);
      refusedOver(path, ['--out', path, '--format', 'html', pod], /names a \.fabric file, which a report never overwrites/);
      assert.equal(existing(path), undefined, `${name} was created`);
    }
  });

  it('an --out that leads to a .fabric file through a symbolic link', () => {
    const other = write('linked.fabric', POD);
    const link = join(dir, 'linked.html');
    symlinkSync(other, link);
    refusedOver(other, ['--out', link, pod], /^fabric: --out .*linked\.html leads to .*linked\.fabric, a \.fabric file, which a report never overwrites; choose another path$/);
  });

  it('an --out that is a device or a FIFO (a write could block, and a rename would replace it)', () => {
    refusedOver(fifo, ['--out', fifo, '--format', 'html', pod], /^fabric: --out .*pipe\.fabric names a \.fabric file/);
    const pipe = join(dir, 'pipe.html');
    spawnSync('mkfifo', [pipe]);
    refusedOver(pipe, ['--out', pipe, pod], /^fabric: cannot write .*pipe\.html: it is a FIFO \(named pipe\), not a regular file; leave out --out to write the report to standard output$/);
    assert.ok(lstatSync(pipe).isFIFO());
  });
});

const temporaries = (folder: string) => readdirSync(folder).filter((name) => name.endsWith('.tmp'));

describe('fabric report --out: the output is replaced whole, through a temporary file', () => {
  it('a write that fails part way leaves the old output and no temporary file', () => {
    const out = write('kept.html', 'the old report\n');
    // One KiB of file size: the page is far longer, so the write fails with EFBIG part way through.
    const result = fabric(['report', '--out', out, pod], { shell: 'ulimit -f 1' });
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stderr.trimEnd(), `fabric: cannot write ${out}: the file would be larger than the system allows`);
    assert.equal(readFileSync(out, 'utf8'), 'the old report\n');
    assert.deepEqual(temporaries(dir), []);
  });

  it('a write that succeeds renames a new file over the old one and leaves no temporary file', () => {
    const out = write('replaced.json', 'the old report\n');
    const before = statSync(out);
    const result = fabric(['report', '--out', out, pod]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(readFileSync(out, 'utf8')).fabric.name, 'f');
    assert.notEqual(statSync(out).ino, before.ino, 'the old file was written over in place');
    assert.equal(statSync(out).mode, before.mode);
    assert.deepEqual(temporaries(dir), []);
  });

  it('through a symbolic link, the file it leads to is replaced and the link stays', () => {
    const real = write('real-report.json', '{}\n');
    const link = join(dir, 'report-link.json');
    symlinkSync(real, link);
    const result = fabric(['report', '--out', link, pod]);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(JSON.parse(readFileSync(real, 'utf8')).fabric.name, 'f');
  });
});
