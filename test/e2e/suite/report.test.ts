/** The live report view in a real VS Code: opening, live updates, errors, click to source, cursor highlights, groups, export, screenshots. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { FabricApi } from '../../../client/src/extension';
import type { ReportPanel } from '../../../client/src/report-panel';
import type { ShownReport } from '../../../client/webview/messages';
import { clickInWebview, open, REPO, screenshot, waitFor } from './helpers';

const EXTENSION_ID = 'fabric-tools.fabric-scaleup';
/** Layout runs in the language server's worker: give a report time, not a deadline. */
const REPORT_WAIT_MS = 60_000;

describe('the live report', () => {
  let api: FabricApi;

  before(async () => {
    const extension = vscode.extensions.getExtension<FabricApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    await open('examples/ualink_pod.fabric');
    api = await waitFor('the extension to activate', () => extension.isActive && extension.exports);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  const panelFor = (document: vscode.TextDocument) => waitFor(`the report view of ${document.uri.toString()}`, () => api.reports().find((p) => p.document.toString() === document.uri.toString()));

  /** Waits until the webview says it shows what `accept` wants. */
  const shownWhen = (panel: ReportPanel, what: string, accept: (shown: ShownReport) => boolean) => waitFor(what, () => panel.shown !== undefined && accept(panel.shown) && panel.shown, REPORT_WAIT_MS);

  const lineOf = (document: vscode.TextDocument, pattern: RegExp) => document.getText().split('\n').findIndex((line) => pattern.test(line));

  const replace = async (document: vscode.TextDocument, from: string, to: string) => {
    const start = document.getText().indexOf(from);
    assert.ok(start >= 0, `${from} is not in the document`);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(document.positionAt(start), document.positionAt(start + from.length)), to);
    assert.ok(await vscode.workspace.applyEdit(edit));
  };

  it('opens the report of an example beside the editor', async () => {
    const editor = await open('examples/ualink_pod.fabric', vscode.ViewColumn.One);
    assert.equal(await vscode.commands.executeCommand('fabric.showReport'), true);
    const panel = await panelFor(editor.document);
    const shown = await shownWhen(panel, 'the report of ualink_pod', (s) => s.reportVersion === editor.document.version);
    assert.equal(shown.heading, 'ualink_pod');
    assert.equal(shown.banner, null);
    assert.ok(shown.elements > 20, `${shown.elements} elements with a source`);
    assert.equal(panel.panel.viewColumn, vscode.ViewColumn.Two);
    assert.equal(panel.panel.title, 'Report: ualink_pod.fabric');
    // Scripts run by a fresh nonce only; nothing inline or evaluated.
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(panel.panel.webview.html)?.[1] ?? '';
    assert.match(csp, /(^|; )script-src 'nonce-[A-Za-z0-9+/=]{24}'(;|$)/);
    assert.match(csp, /^default-src 'none'/);
    assert.doesNotMatch(csp, /unsafe-/);
  });

  it('draws the report again when its webview reloads', async () => {
    const editor = await open('examples/ualink_pod.fabric', vscode.ViewColumn.One);
    const panel = await panelFor(editor.document);
    const before = await shownWhen(panel, 'the report', (s) => s.reportVersion === editor.document.version);
    panel.shown = undefined;
    await vscode.commands.executeCommand('workbench.action.webview.reloadWebviewAction');
    const after = await shownWhen(panel, 'the report after the reload', (s) => s.reportVersion === editor.document.version);
    assert.equal(after.elements, before.elements);
    assert.equal(after.heading, 'ualink_pod');
  });

  it('updates as the text changes, and keeps the last good report under a banner while it has an error', async () => {
    // An untitled copy (edits never touch the example); nvl72 imports nothing, so it checks without a folder.
    const content = readFileSync(join(REPO, 'examples/nvl72.fabric'), 'utf8');
    const document = await vscode.workspace.openTextDocument({ language: 'fabric', content });
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    await vscode.commands.executeCommand('fabric.showReport', document.uri);
    const panel = await panelFor(document);
    await shownWhen(panel, 'the first report', (s) => s.reportVersion === document.version && s.heading === 'nvl72');

    await replace(document, 'fabric nvl72 "', 'fabric nvl72_edited "');
    const edited = await shownWhen(panel, 'the report of the edited text', (s) => s.reportVersion === document.version && s.heading === 'nvl72_edited');
    assert.equal(edited.banner, null);
    const goodVersion = document.version;

    await replace(document, '  group tp0', '  let = 4\n  group tp0');
    const broken = await shownWhen(panel, 'the banner', (s) => s.version === document.version && s.banner !== null);
    assert.equal(broken.reportVersion, goodVersion, 'the last good report stays');
    assert.equal(broken.heading, 'nvl72_edited');
    assert.equal(broken.elements, edited.elements);
    const errorLine = lineOf(document, /^\s*let = 4$/) + 1;
    assert.equal(broken.banner, `Showing the report of the last version without errors: the file has an error (line ${errorLine}: expected a name but found \`=\`).`);

    await replace(document, '  let = 4\n', '');
    const fixed = await shownWhen(panel, 'the banner to go', (s) => s.reportVersion === document.version && s.banner === null);
    assert.equal(fixed.heading, 'nvl72_edited');
  });

  it('reveals the source of a node and of an expectation clicked in the webview', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const editor = await open('examples/ualink_pod.fabric', vscode.ViewColumn.One);
    await vscode.commands.executeCommand('fabric.showReport');
    const panel = await panelFor(editor.document);
    await shownWhen(panel, 'the report', (s) => s.reportVersion === editor.document.version);
    const switches = lineOf(editor.document, /^\s*switch sx\[/);
    const expectation = lineOf(editor.document, /^\s*expect /);
    assert.ok(switches >= 0 && expectation > switches);

    // Move the cursor away first, so that arriving on the line proves the click moved it.
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await clickInWebview('[data-id="sx[1]"]');
    await waitFor('the cursor on the switch declaration', () => {
      const active = vscode.window.activeTextEditor;
      return active?.document.uri.toString() === editor.document.uri.toString() && active.selection.active.line === switches;
    });
    await clickInWebview('vscode-tab-header[data-section="expectations"]');
    await clickInWebview('[data-section="expectations"] tr[data-source]');
    await waitFor('the cursor on the first expectation', () => vscode.window.activeTextEditor?.selection.active.line === expectation);
  });

  it('highlights the elements declared where the editor cursor is', async () => {
    const editor = await open('examples/ualink_pod.fabric', vscode.ViewColumn.One);
    const panel = await panelFor(editor.document);
    const switches = lineOf(editor.document, /^\s*switch sx\[/);
    const column = editor.document.lineAt(switches).text.indexOf('sx');
    editor.selection = new vscode.Selection(switches, column, switches, column);
    const shown = await shownWhen(panel, 'the switches highlighted', (s) => s.highlighted.includes('sx[0]'));
    for (const name of ['sx[0]', 'sx[1]', 'sx[2]', 'sx[3]']) assert.ok(shown.highlighted.includes(name), `${name} in ${shown.highlighted.join(', ')}`);
    assert.ok(!shown.highlighted.some((key) => key.startsWith('acc')), 'no accelerator highlighted');
  });

  it('expands a group of accelerators on click and collapses it from the toolbar', async () => {
    const editor = await open('examples/ualink_pod.fabric', vscode.ViewColumn.One);
    const panel = await panelFor(editor.document);
    const collapsed = await shownWhen(panel, 'the report', (s) => s.reportVersion === editor.document.version);
    await clickInWebview('vscode-tab-header[data-section="topology"]');
    await clickInWebview('[data-group]');
    const expanded = await shownWhen(panel, 'the group expanded', (s) => s.elements > collapsed.elements);
    assert.equal(panel.state.expandedGroups.length, 1);
    assert.equal(expanded.banner, null);
    await clickInWebview('vscode-toolbar-button#collapse');
    await shownWhen(panel, 'the group collapsed', (s) => s.elements === collapsed.elements);
    assert.deepEqual(panel.state.expandedGroups, []);
  });

  it('opens the workloads from the Show report lens above a workload', async () => {
    const editor = await open('examples/ualink_pod.fabric', vscode.ViewColumn.One);
    const panel = await panelFor(editor.document);
    await clickInWebview('vscode-tab-header[data-section="topology"]');
    await shownWhen(panel, 'the topology tab', (s) => s.tab === 'topology');
    const lenses = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', editor.document.uri)) as vscode.CodeLens[];
    const lens = lenses.find((l) => l.command?.title === 'Show report' && l.command.arguments?.[1] === 'train_step');
    assert.ok(lens?.command, `lenses: ${lenses.map((l) => `${l.command?.title} ${JSON.stringify(l.command?.arguments)}`).join('; ')}`);
    await vscode.commands.executeCommand(lens.command.command, ...lens.command.arguments!);
    await shownWhen(panel, 'the workloads tab', (s) => s.tab === 'workloads');
  });

  it('exports the report as HTML, SVG and JSON to the file given', async () => {
    const editor = await open('examples/ualink_pod.fabric', vscode.ViewColumn.One);
    const dir = mkdtempSync(join(tmpdir(), 'fabric-export-'));
    const expected: [string, RegExp][] = [
      ['html', /^<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy"/],
      ['svg', /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg class="topology standalone"/],
      ['json', /^\{\n {2}"fabric": "ualink_pod",/],
    ];
    for (const [extension, start] of expected) {
      const target = join(dir, `pod.${extension}`);
      const written = (await vscode.commands.executeCommand('fabric.exportReport', editor.document.uri, target)) as vscode.Uri | undefined;
      assert.equal(written?.fsPath, target);
      assert.match(readFileSync(target, 'utf8'), start);
    }
  });

  it('looks native in the light and the dark theme (screenshots)', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    const editor = await open('examples/ualink_pod.fabric', vscode.ViewColumn.One);
    const line = lineOf(editor.document, /^\s*switch sx\[/);
    editor.selection = new vscode.Selection(line, 2, line, 2);
    editor.revealRange(new vscode.Range(line, 0, line, 0), vscode.TextEditorRevealType.InCenter);
    await vscode.commands.executeCommand('fabric.showReport');
    const panel = await panelFor(editor.document);
    await shownWhen(panel, 'the report with the switches highlighted', (s) => s.reportVersion === editor.document.version && s.highlighted.includes('sx[0]'));
    // The report gets the larger share of the window, and the drawing one zoom step.
    await vscode.commands.executeCommand('vscode.setEditorLayout', { orientation: 0, groups: [{ size: 0.38 }, { size: 0.62 }] });
    await clickInWebview('vscode-tab-header[data-section="topology"]');
    await clickInWebview('vscode-toolbar-button#zoom-in');
    // The pointer leaves the button, so that it is not drawn hovered.
    await clickInWebview('#title');
    const workbench = vscode.workspace.getConfiguration('workbench');
    try {
      for (const [theme, name] of [['Default Light Modern', 'live-report-light'], ['Default Dark Modern', 'live-report-dark']]) {
        await workbench.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
        await waitFor(`the ${theme} theme`, () => vscode.window.activeColorTheme.kind === (theme.includes('Light') ? vscode.ColorThemeKind.Light : vscode.ColorThemeKind.Dark));
        await screenshot(name);
      }
    } finally {
      await workbench.update('colorTheme', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
