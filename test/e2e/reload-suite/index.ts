/**
 * The report view survives a window reload. The first run, in a fresh window, opens the report of
 * an example with a group expanded, closes the text editor (so that only the view can activate
 * the extension) and reloads the window; VS Code then runs this suite again in the reloaded
 * window (the tests' payload is in its address), where the second run checks that the serializer
 * brought the view back as it was.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { FabricApi } from '../../../client/src/extension';
import { clickInWebview, open, waitFor } from '../suite/helpers';
import { runMocha } from '../suite/mocha-runner';

export const EXTENSION_ID = 'fabric-tools.fabric-scaleup';
export const EXAMPLE = 'examples/ualink_pod.fabric';

/** Where the first run leaves what the view showed before the reload (the launcher's request folder, fresh for this suite). */
export const beforeReload = () => join(process.env.FABRIC_SCREENSHOT_DIR!, 'before-reload.json');

/** Opens the report, expands a group, and answers what the view shows then. */
async function openWithGroupExpanded(): Promise<{ expandedGroups: string[]; elements: number }> {
  const editor = await open(EXAMPLE);
  const extension = vscode.extensions.getExtension<FabricApi>(EXTENSION_ID)!;
  const api = await waitFor('the extension to activate', () => extension.isActive && extension.exports);
  await vscode.commands.executeCommand('fabric.showReport');
  const panel = await waitFor('the report view', () => api.reports()[0]);
  const collapsed = await waitFor('the report', () => panel.shown?.reportVersion === editor.document.version && panel.shown, 60_000);
  await clickInWebview('[data-group]');
  // The webview keeps its state (setState) when it shows the expanded drawing.
  const expanded = await waitFor('the group expanded', () => panel.shown && panel.shown.elements > collapsed.elements && panel.shown, 60_000);
  const textTabs = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputText);
  await vscode.window.tabGroups.close(textTabs());
  await waitFor('the text editors to close', () => textTabs().length === 0);
  return { expandedGroups: panel.state.expandedGroups, elements: expanded.elements };
}

export async function run(): Promise<void> {
  if (existsSync(beforeReload())) return runMocha(() => import('./revived.test'));
  writeFileSync(beforeReload(), JSON.stringify(await openWithGroupExpanded()));
  // A reload as the user makes it: the workbench saves its state, then the page reloads and this
  // run ends with the window.
  await vscode.commands.executeCommand('workbench.action.reloadWindow');
  await new Promise(() => undefined);
}
