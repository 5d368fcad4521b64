/** The extension in a real VS Code: diagnostics, hover, completion, quick fix, simulate, format, definition (the report view: report.test.ts). */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { FabricApi } from '../../../client/src/extension';
import { codeOf, diagnosticsWith, markdownOf, open, REPO, screenshot, sleep, waitFor } from './helpers';

const EXTENSION_ID = 'fabric-tools.fabric-scaleup';

describe('Fabric in VS Code', () => {
  before(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    await open('examples/ualink_pod.fabric');
    await waitFor('the extension to activate', () => extension.isActive);
  });

  it('opens every example and publishes no diagnostics for them', async () => {
    const examples = readdirSync(join(REPO, 'examples')).filter((f) => f.endsWith('.fabric'));
    assert.ok(examples.length >= 5);
    for (const name of examples) {
      const editor = await open(`examples/${name}`);
      // fabric.simulate answers once the server has checked and simulated the current text.
      const report = (await vscode.commands.executeCommand('fabric.simulate', editor.document.uri)) as { diagnostics: unknown[] } | undefined;
      assert.ok(report, `no report for ${name}`);
      assert.deepEqual(report.diagnostics, [], name);
      assert.deepEqual(vscode.languages.getDiagnostics(editor.document.uri).map(codeOf), [], name);
    }
  });

  it('shows the exact diagnostics of the broken examples', async () => {
    const expected: [string, string, vscode.DiagnosticSeverity, number][] = [
      ['lane-budget', 'examples/broken/lane-budget.fabric', vscode.DiagnosticSeverity.Error, 8],
      ['unknown-name', 'examples/broken/unknown-name.fabric', vscode.DiagnosticSeverity.Error, 7],
      ['reach', 'examples/broken/reach.fabric', vscode.DiagnosticSeverity.Warning, 13],
      ['expectation-failed', 'examples/broken/expectation-failed.fabric', vscode.DiagnosticSeverity.Error, 6],
      ['inc-opportunity', 'examples/broken/inc-opportunity.fabric', vscode.DiagnosticSeverity.Hint, 7],
    ];
    for (const [code, path, severity, line] of expected) {
      const editor = await open(path);
      const diagnostics = await diagnosticsWith(editor.document.uri, code);
      const found = diagnostics.find((d) => codeOf(d) === code)!;
      assert.equal(found.severity, severity, `${path} severity`);
      assert.equal(found.range.start.line, line, `${path} line`);
      assert.equal(found.source, 'fabric');
    }
    const editor = await open('examples/broken/lane-budget.fabric');
    const [budget] = vscode.languages.getDiagnostics(editor.document.uri).filter((d) => codeOf(d) === 'lane-budget');
    assert.equal(budget.message, 'sx uses 352 of 320 lanes; use a switch model with more lanes, narrower links or another switch');
    await vscode.commands.executeCommand('workbench.action.closeEditorsInOtherGroups');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await screenshot('editor-diagnostics');
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });

  it('hovers a device with a latency estimate', async () => {
    await vscode.commands.executeCommand('workbench.action.closeEditorsInOtherGroups');
    const editor = await open('examples/ualink_pod.fabric');
    const line = editor.document.getText().split('\n').findIndex((l) => /^\s*gpu acc\[/.test(l));
    const position = new vscode.Position(line, editor.document.lineAt(line).text.indexOf('acc') + 1);
    const hovers = await waitFor('a hover', async () => {
      const result = (await vscode.commands.executeCommand('vscode.executeHoverProvider', editor.document.uri, position)) as vscode.Hover[];
      return result.length > 0 && result;
    });
    const text = markdownOf(hovers);
    assert.match(text, /\*\*acc\[0\]\*\* — gpu, model `gpu_ualink`/);
    assert.match(text, /\| pool\[0\] \| [\d.]+ ns \| [\d.]+ ns \|/);
    assert.match(text, /Rests on estimates:/);
    editor.selection = new vscode.Selection(position, position);
    await vscode.commands.executeCommand('editor.action.showHover');
    await screenshot('hover');
  });

  it('completes models after a device kind and protocols after a link colon', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'fabric', content: 'fabric f {\n  switch sx : \n  gpu g\n  link g <-> sx : \n}\n' });
    await vscode.window.showTextDocument(document);
    const models = (await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(1, 14))) as vscode.CompletionList;
    const modelLabels = models.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(modelLabels.includes('scorpio_x'), `models: ${modelLabels.join(', ')}`);
    assert.ok(!modelLabels.includes('gpu_ualink'), 'a gpu model offered for a switch');
    const protocols = (await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(3, 18))) as vscode.CompletionList;
    const protocolLabels = protocols.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const protocol of ['pcie6', 'cxl', 'ualink', 'nvlink']) assert.ok(protocolLabels.includes(protocol), `protocols: ${protocolLabels.join(', ')}`);
  });

  it('applies the did-you-mean quick fix and the diagnostic goes', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'fabric', content: 'fabric f {\n  gpu g : gpu_ualnk\n  switch sx\n  link g <-> sx : ualink x4\n}\n' });
    await vscode.window.showTextDocument(document);
    const [diagnostic] = await diagnosticsWith(document.uri, 'unknown-name');
    const actions = (await vscode.commands.executeCommand('vscode.executeCodeActionProvider', document.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value)) as vscode.CodeAction[];
    const fix = actions.find((a) => a.edit && /gpu_ualink/.test(a.title));
    assert.ok(fix, `actions: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    assert.equal(document.lineAt(1).text, '  gpu g : gpu_ualink');
    await waitFor('the unknown-name diagnostic to go', () => !vscode.languages.getDiagnostics(document.uri).some((d) => codeOf(d) === 'unknown-name'));
  });

  it('runs Fabric: Simulate and shows the report', async () => {
    const editor = await open('examples/nvl72.fabric');
    const report = (await vscode.commands.executeCommand('fabric.simulate')) as { fabric: string; workloads: { name: string; time_s: number }[] } | undefined;
    assert.ok(report);
    assert.equal(report.fabric, 'nvl72');
    assert.ok(report.workloads.length > 0 && report.workloads.every((w) => w.time_s > 0));
    const api = vscode.extensions.getExtension<FabricApi>(EXTENSION_ID)!.exports;
    const panel = await waitFor('the report view', () => api.reports().find((p) => p.document.toString() === editor.document.uri.toString()));
    const shown = await waitFor('the report shown', () => panel.shown?.reportVersion === editor.document.version && panel.shown, 60_000);
    assert.equal(shown.heading, 'nvl72');
    assert.equal(shown.banner, null);
  });

  it('formats a document into the canonical layout, idempotently', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'fabric', content: 'fabric   f{\ngpu g:gpu_ualink\n    switch sx\n link g<->sx:ualink x4\n}' });
    const editor = await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('editor.action.formatDocument');
    await waitFor('the document to be formatted', () => editor.document.getText() !== 'fabric   f{\ngpu g:gpu_ualink\n    switch sx\n link g<->sx:ualink x4\n}' && editor.document.getText());
    const once = editor.document.getText();
    assert.match(once, /^fabric f \{\n {2}gpu g : gpu_ualink\n {2}switch sx\n {2}link g <-> sx : ualink x4\n\}\n$/);
    await vscode.commands.executeCommand('editor.action.formatDocument');
    await sleep(300);
    assert.equal(editor.document.getText(), once);
  });

  it('goes to the definition of a built-in model in the catalog', async () => {
    const editor = await open('examples/ualink_pod.fabric');
    const line = editor.document.getText().split('\n').findIndex((l) => /switch sx\[PLANES\] : scorpio_x/.test(l));
    const column = editor.document.lineAt(line).text.indexOf('scorpio_x') + 2;
    const locations = (await vscode.commands.executeCommand('vscode.executeDefinitionProvider', editor.document.uri, new vscode.Position(line, column))) as (vscode.Location | vscode.LocationLink)[];
    assert.ok(locations.length > 0);
    const target = 'targetUri' in locations[0] ? locations[0].targetUri : locations[0].uri;
    const range = 'targetUri' in locations[0] ? locations[0].targetRange : locations[0].range;
    assert.match(target.path, /catalog\.fabric$/);
    const catalog = readFileSync(target.fsPath, 'utf8').split('\n');
    assert.match(catalog[range.start.line], /model scorpio_x : switch/);
  });

  it('shows the outline of a fabric', async () => {
    const editor = await open('examples/ualink_pod.fabric');
    const symbols = (await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', editor.document.uri)) as vscode.DocumentSymbol[];
    assert.ok(symbols.some((s) => /ualink_pod/.test(s.name)));
    await vscode.commands.executeCommand('workbench.action.closeEditorsInOtherGroups');
    await vscode.commands.executeCommand('workbench.files.action.collapseExplorerFolders');
    await vscode.commands.executeCommand('outline.focus');
    await screenshot('outline');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});

