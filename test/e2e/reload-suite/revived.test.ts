/** After the window reload (index.ts): the report view is back, for its document, as it was. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { FabricApi } from '../../../client/src/extension';
import { repoUri, waitFor } from '../suite/helpers';
import { beforeReload, EXAMPLE, EXTENSION_ID } from './index';

describe('the report view after a window reload', () => {
  it('comes back through its serializer, for its document, with its group expanded', async () => {
    const before = JSON.parse(readFileSync(beforeReload(), 'utf8')) as { expandedGroups: string[]; elements: number };
    assert.equal(before.expandedGroups.length, 1);
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
    assert.deepEqual(
      tabs.map((tab) => tab.label),
      ['Report: ualink_pod.fabric'],
      'only the view is restored, so only it can have activated the extension (onWebviewPanel)',
    );
    const extension = vscode.extensions.getExtension<FabricApi>(EXTENSION_ID);
    assert.ok(extension);
    const api = await waitFor('the extension to activate for the restored view', () => extension.isActive && extension.exports, 60_000);
    const panel = await waitFor('the revived report view', () => api.reports().find((p) => p.document.toString() === repoUri(EXAMPLE).toString()), 60_000);
    assert.deepEqual(panel.state.expandedGroups, before.expandedGroups);
    const shown = await waitFor('the revived report', () => typeof panel.shown?.reportVersion === 'number' && panel.shown, 60_000);
    assert.equal(shown.heading, 'ualink_pod');
    assert.equal(shown.elements, before.elements);
  });
});
