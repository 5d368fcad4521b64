/** Small helpers for driving VS Code from the extension host in end-to-end tests. */
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

export const REPO = process.env.FABRIC_REPO ?? '';

export function repoUri(path: string): vscode.Uri {
  return vscode.Uri.file(join(REPO, path));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `accept` returns a value, or fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, accept: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await accept();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Opens a file of the repository in an editor, in the active group unless `viewColumn` says. */
export async function open(path: string, viewColumn?: vscode.ViewColumn): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(repoUri(path));
  return vscode.window.showTextDocument(document, { preview: false, viewColumn });
}

export function diagnosticsWith(uri: vscode.Uri, code: string): Promise<vscode.Diagnostic[]> {
  return waitFor(`a ${code} diagnostic on ${uri.fsPath}`, () => {
    const diagnostics = vscode.languages.getDiagnostics(uri);
    return diagnostics.some((d) => String(typeof d.code === 'object' ? d.code.value : d.code) === code) && diagnostics;
  });
}

export function codeOf(diagnostic: vscode.Diagnostic): string {
  return String(typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code);
}

/** Asks the launcher for a screenshot of the workbench and waits until it is written. */
export async function screenshot(name: string): Promise<void> {
  const dir = process.env.FABRIC_SCREENSHOT_DIR;
  if (!dir) return;
  await vscode.commands.executeCommand('notifications.clearAll');
  await sleep(600);
  writeFileSync(join(dir, `${name}.request`), '');
  await waitFor(`screenshot ${name}`, () => existsSync(join(dir, `${name}.png`)) && !existsSync(join(dir, `${name}.request`)), 15_000);
}

let clicks = 0;

/** Asks the launcher to click, with the real mouse, the first element matching `selector` in a webview. */
export async function clickInWebview(selector: string): Promise<void> {
  const dir = process.env.FABRIC_SCREENSHOT_DIR;
  if (!dir) throw new Error('clicking in a webview needs the launcher (FABRIC_SCREENSHOT_DIR)');
  const name = join(dir, `click-${++clicks}`);
  writeFileSync(`${name}.click`, selector);
  const answer = await waitFor(`the click on ${selector}`, () => existsSync(`${name}.clicked`) && readFileSync(`${name}.clicked`, 'utf8'), 30_000);
  unlinkSync(`${name}.clicked`);
  if (answer !== 'clicked') throw new Error(answer);
}

export function markdownOf(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
}
