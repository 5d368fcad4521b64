/**
 * `Fabric: Export Report`: the report as a stand-alone HTML page, the topology as SVG, or the
 * simulation as the JSON of `fabric simulate --format json`, written where the user chooses.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ExportReportRequest, SimulateRequest } from '../../shared/protocol';

const FORMATS = { html: 'HTML page', svg: 'SVG drawing', json: 'JSON simulation report' } as const;
type Format = keyof typeof FORMATS;

function formatOf(target: vscode.Uri): Format | undefined {
  const extension = target.path.slice(target.path.lastIndexOf('.') + 1).toLowerCase();
  return extension in FORMATS ? (extension as Format) : undefined;
}

async function exportedText(client: LanguageClient, document: vscode.Uri, format: Format, expandedGroups: string[]): Promise<string> {
  const uri = document.toString();
  if (format === 'json') {
    const report = await client.sendRequest(SimulateRequest, { uri });
    if (!report) throw new Error(`${vscode.workspace.asRelativePath(document)} declares no fabric to report on.`);
    return `${JSON.stringify(report, null, 2)}\n`;
  }
  const result = await client.sendRequest(ExportReportRequest, { uri, format, expandedGroups });
  if ('error' in result) throw new Error(result.error);
  return result.text;
}

/**
 * Exports the document's report to `target`, or to where a save dialog says when no target is
 * given (tests pass one). Returns the file written, or undefined when the user cancelled.
 */
export async function exportReport(client: LanguageClient, document: vscode.Uri, expandedGroups: string[], target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  await vscode.workspace.openTextDocument(document);
  const destination =
    target ??
    (await vscode.window.showSaveDialog({
      title: 'Export the Fabric report',
      defaultUri: document.with({ path: document.path.replace(/\.fabric$/, '') + '.report.html' }),
      filters: Object.fromEntries(Object.entries(FORMATS).map(([extension, name]) => [name, [extension]])),
    }));
  if (!destination) return undefined;
  const format = formatOf(destination);
  if (!format) throw new Error(`Fabric can export a report as .html, .svg or .json; choose a file name ending in one of them instead of ${destination.path.split('/').pop()}.`);
  const text = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Fabric: exporting the report' }, () => exportedText(client, document, format, expandedGroups));
  await vscode.workspace.fs.writeFile(destination, new TextEncoder().encode(text));
  return destination;
}
