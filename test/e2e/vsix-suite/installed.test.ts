/** The installed .vsix (not the development folder) activates and publishes diagnostics. */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
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
});
