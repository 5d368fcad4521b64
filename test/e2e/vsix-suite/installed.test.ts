/** The installed .vsix (not the development folder) activates, publishes diagnostics and shows the report view from its own files. */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FabricApi } from '../../../client/src/extension';
import { codeOf, diagnosticsWith, open, waitFor } from '../suite/helpers';

describe('the packaged extension', () => {
  it('is installed from the .vsix, activates on a .fabric file and publishes diagnostics', async () => {
    const extension = vscode.extensions.getExtension('fabric-tools.fabric-scaleup');
    assert.ok(extension, 'the installed extension is missing');
    assert.ok(!extension.extensionPath.includes('vsix-harness'));
    const editor = await open('examples/broken/lane-budget.fabric');
    await waitFor('the extension to activate', () => extension.isActive);
    const diagnostics = await diagnosticsWith(editor.document.uri, 'lane-budget');
    assert.deepEqual(diagnostics.map(codeOf), ['lane-budget']);
  });

  it('shows the report view with the webview files it carries', async () => {
    const api = vscode.extensions.getExtension<FabricApi>('fabric-tools.fabric-scaleup')!.exports;
    const editor = await open('examples/scorpio_consolidated.fabric');
    await vscode.commands.executeCommand('fabric.showReport');
    const panel = await waitFor('the report view', () => api.reports().find((p) => p.document.toString() === editor.document.uri.toString()));
    // The webview answers only once its script (out/webview/report-view.js) has loaded and drawn the report.
    const shown = await waitFor('the report shown', () => panel.shown?.reportVersion === editor.document.version && panel.shown, 60_000);
    assert.equal(shown.heading, 'scorpio_consolidated');
    assert.ok(shown.elements > 10);
  });
});
