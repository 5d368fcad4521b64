/**
 * Imports in the real language server over stdio: one that leaves the workspace folders gets an
 * `import-outside-workspace` warning, and imports of things that are not regular files, or are
 * too large by their size, are diagnostics that neither hang the server nor its simulation worker.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-protocol';
import { SimulateRequest } from '../../shared/protocol.js';
import { codesOf, LspClient } from '../support/lsp.js';

const dir = mkdtempSync(join(tmpdir(), 'fabric-lsp-imports-'));
const workspace = join(dir, 'ws');
const outside = join(dir, 'outside');
mkdirSync(join(workspace, 'models'), { recursive: true });
mkdirSync(outside);
writeFileSync(join(outside, 'far.fabric'), 'model far_gpu : gpu\n');
writeFileSync(join(workspace, 'models', 'near.fabric'), 'model near_gpu : gpu\n');
// Inside the folder by its path, outside it by where it leads.
symlinkSync(join(outside, 'far.fabric'), join(workspace, 'alias.fabric'));

const uri = (path: string) => pathToFileURL(path).href;
const FABRIC = 'fabric f {\n  gpu a : near_gpu\n  gpu b : far_gpu\n  switch s\n  link a <-> s : pcie6 x16\n  link b <-> s : pcie6 x16\n}\n';
const OUTWARD = `import "models/near.fabric"\nimport "../outside/far.fabric"\nimport "alias.fabric"\n${FABRIC}`;
const SETTINGS = { fabric: { diagnostics: { debounceMs: 10 } } };

const outsideWarnings = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.code === 'import-outside-workspace');

after(() => rmSync(dir, { recursive: true, force: true }));

describe('language server: an import that leaves the workspace folders', () => {
  const client = new LspClient();

  before(async () => {
    await client.initialize(SETTINGS, { rootUri: uri(workspace), workspaceFolders: [{ uri: uri(workspace), name: 'ws' }] });
  });

  after(async () => {
    assert.equal(await client.stop(), 0, client.stderr);
  });

  it('gets a warning on its path, by path and through a symbolic link; an import inside gets none', async () => {
    const doc = uri(join(workspace, 'main.fabric'));
    await client.open(doc, OUTWARD);
    const diagnostics = await client.waitForDiagnostics(doc, (d) => outsideWarnings(d).length > 0);
    const warnings = outsideWarnings(diagnostics);
    assert.deepEqual(
      warnings.map((d) => [d.severity, d.range.start.line, d.range.start.character, d.range.end.character]),
      [
        [DiagnosticSeverity.Warning, 1, 7, 30],
        [DiagnosticSeverity.Warning, 2, 7, 21],
      ],
    );
    const far = join(outside, 'far.fabric');
    assert.equal(warnings[0].message, `this import reads ${far}, outside the workspace folders; move the file into the workspace, or add its folder to the workspace`);
    assert.equal(warnings[1].message, `this import reads ${join(workspace, 'alias.fabric')}, which leads to ${far}, outside the workspace folders; move the file into the workspace, or add its folder to the workspace`);
    // The files are read all the same: the models resolve.
    assert.deepEqual(diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error), []);
  });

  it('the warning goes when the import moves inside', async () => {
    const doc = uri(join(workspace, 'moved.fabric'));
    await client.open(doc, OUTWARD);
    await client.waitForDiagnostics(doc, (d) => outsideWarnings(d).length === 2);
    const since = client.published(doc).length;
    await client.change(doc, `import "models/near.fabric"\n${FABRIC.replace('far_gpu', 'near_gpu')}`, 2);
    const diagnostics = await client.waitForDiagnostics(doc, (d) => outsideWarnings(d).length === 0, since);
    assert.deepEqual(codesOf(diagnostics), []);
  });
});

describe('language server: without workspace folders', () => {
  const client = new LspClient();

  before(async () => {
    await client.initialize(SETTINGS);
  });

  after(async () => {
    assert.equal(await client.stop(), 0, client.stderr);
  });

  it('an import anywhere gets no workspace warning: there is no folder to leave', async () => {
    const doc = uri(join(workspace, 'alone.fabric'));
    await client.open(doc, OUTWARD.replace('  switch s\n', '  switch s\n  gpu spare\n'));
    const diagnostics = await client.waitForDiagnostics(doc, (d) => codesOf(d).includes('unused-device'));
    assert.deepEqual(codesOf(diagnostics), ['unused-device']);
  });
});

describe('language server: imports of what is not a regular .fabric file', () => {
  const client = new LspClient();
  const hostile = join(dir, 'hostile');
  const huge = join(hostile, 'huge.fabric');
  const NOTES = 'the password is hunter2';

  before(async () => {
    mkdirSync(hostile);
    symlinkSync('/dev/zero', join(hostile, 'zero.fabric'));
    spawnSync('mkfifo', [join(hostile, 'pipe.fabric')]);
    mkdirSync(join(hostile, 'folder.fabric'));
    writeFileSync(join(hostile, 'notes.txt'), `${NOTES}\n`);
    writeFileSync(huge, '');
    truncateSync(huge, 64 * 1024 ** 3);
    await client.initialize(SETTINGS, { rootUri: uri(hostile), workspaceFolders: [{ uri: uri(hostile), name: 'hostile' }] });
  });

  after(async () => {
    assert.equal(await client.stop(), 0, client.stderr);
  });

  it('are import-kind and limit diagnostics, and the server and its simulation worker keep answering', async () => {
    const doc = uri(join(hostile, 'main.fabric'));
    const imports = ['zero.fabric', 'pipe.fabric', 'folder.fabric', 'notes.txt', 'huge.fabric'].map((name) => `import "${name}"`).join('\n');
    await client.open(doc, `${imports}\nfabric f {\n  gpu a\n  gpu b\n  link a <-> b : pcie6 x16\n}\n`);
    const diagnostics = await client.waitForDiagnostics(doc, (d) => d.length > 0);
    const notAFile = (name: string, kind: string) => `\`${name}\` (${join(hostile, name)}) is ${kind}, not a regular file, so it was not read; import a .fabric file of models`;
    assert.deepEqual(
      diagnostics.map((d) => [d.range.start.line, d.code, d.message]),
      [
        [0, 'import-kind', notAFile('zero.fabric', 'a character device')],
        [1, 'import-kind', notAFile('pipe.fabric', 'a FIFO (named pipe)')],
        [2, 'import-kind', notAFile('folder.fabric', 'a directory')],
        [3, 'import-kind', '`notes.txt` is not a .fabric file, so it was not read; import only .fabric files of models'],
      ],
    );
    assert.ok(!JSON.stringify(diagnostics).includes('hunter2'), 'a diagnostic quotes notes.txt');
    const oversized = await client.waitForDiagnostics(uri(huge), (d) => d.length > 0);
    assert.deepEqual(codesOf(oversized), ['limit']);
    assert.match(String(oversized[0].message), /^the file's 68,719,476,736 bytes hold more than 8,388,608 characters/);
    // The worker reads the imports again, through the same guard: its report comes back.
    const report = await client.connection.sendRequest(SimulateRequest, { uri: doc });
    assert.equal(report?.fabric, 'f');
    assert.match(await client.hover(doc, { line: 6, character: 6 }), /gpu/);
  });
});
