/**
 * One report view: a webview panel showing one document's live report. It asks the server for
 * the report (`fabric/report`), hands the markup to the webview, and answers the webview's
 * clicks: reveal an element's source, expand or collapse a group, export.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ReportClosedNotification, ReportRequest, type ElementSource, type ReportResult } from '../../shared/protocol';
import type { FromWebview, ReportViewState, ShownReport, ToWebview } from '../webview/messages';
import { reportPageHtml, WEBVIEW_ROOT } from './report-html';

/** What a panel needs from the extension around it. */
export interface ReportPanelHost {
  client(): LanguageClient | undefined;
  readonly extensionUri: vscode.Uri;
  readonly stylesheet: string;
  disposed(panel: ReportPanel): void;
}

const contains = (range: ElementSource['range'], position: vscode.Position) =>
  new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character).contains(position);

const extent = (range: ElementSource['range']) => (range.end.line - range.start.line) * 1e6 + (range.end.character - range.start.character);

export class ReportPanel {
  /** What the webview last said it shows (tests read it). */
  shown: ShownReport | undefined;
  private result: ReportResult | undefined;
  private expandedGroups: string[];
  private requests = 0;
  private ready = false;
  /** A workload to scroll to once the webview shows a report (the code lens above a workload). */
  private pendingWorkload: string | undefined;
  private disposed = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly document: vscode.Uri,
    expandedGroups: string[],
    private readonly host: ReportPanelHost,
  ) {
    this.expandedGroups = expandedGroups;
    panel.iconPath = vscode.Uri.joinPath(host.extensionUri, 'icons', 'fabric-file.svg');
    panel.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(host.extensionUri, WEBVIEW_ROOT)] };
    panel.webview.html = reportPageHtml(panel.webview, host.extensionUri, host.stylesheet);
    panel.webview.onDidReceiveMessage((message: FromWebview) => void this.receive(message));
    panel.onDidDispose(() => {
      this.disposed = true;
      void host.client()?.sendNotification(ReportClosedNotification, { uri: document.toString() }).catch(() => undefined);
      host.disposed(this);
    });
  }

  /** Asks the server for the current report and shows it; a newer request wins over an older one. */
  async refresh(): Promise<void> {
    // The server knows only open documents: a view restored after a reload opens its own (and
    // asks again when the diagnostics for it arrive, should the server not be running yet).
    await vscode.workspace.openTextDocument(this.document);
    const client = this.host.client();
    if (!client?.isRunning() || this.disposed) return;
    const request = ++this.requests;
    const result = await client.sendRequest(ReportRequest, { uri: this.document.toString(), expandedGroups: this.expandedGroups }).catch((error: Error) => {
      client.error(`fabric/report for ${this.document.toString()} failed`, error);
      return undefined;
    });
    if (request !== this.requests || !result || this.disposed) return;
    this.result = result;
    this.dropRefusedGroups(result);
    this.post();
  }

  /** Highlights the elements declared where the editor's cursor is: those of the innermost declaration around it. */
  highlightAt(position: vscode.Position): void {
    const uri = this.document.toString();
    const around = Object.entries(this.result?.report?.sources ?? {}).filter(([, source]) => source.uri === uri && contains(source.range, position));
    const innermost = Math.min(...around.map(([, source]) => extent(source.range)));
    this.postMessage({ type: 'highlight', ids: around.filter(([, source]) => extent(source.range) === innermost).map(([id]) => id) });
  }

  revealWorkload(name: string): void {
    this.pendingWorkload = name;
    if (this.ready && this.result) this.post();
  }

  get state(): ReportViewState {
    return { uri: this.document.toString(), expandedGroups: this.expandedGroups };
  }

  /** Handles a message as if the webview had sent it (the webview's own messages come here too). */
  async receive(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        if (this.result) this.post();
        else await this.refresh();
        return;
      case 'reveal':
        await this.reveal(message.key);
        return;
      case 'expand-group':
        if (!this.expandedGroups.includes(message.group)) this.expandedGroups = [...this.expandedGroups, message.group];
        await this.refresh();
        return;
      case 'collapse-groups':
        this.expandedGroups = [];
        await this.refresh();
        return;
      case 'export':
        await vscode.commands.executeCommand('fabric.exportReport', this.document);
        return;
      case 'shown':
        this.shown = message.shown;
        return;
    }
  }

  private async reveal(key: string): Promise<void> {
    const source = this.result?.report?.sources[key];
    if (!source) return;
    const uri = vscode.Uri.parse(source.uri);
    const range = new vscode.Range(source.range.start.line, source.range.start.character, source.range.end.line, source.range.end.character);
    const visible = vscode.window.visibleTextEditors.find((editor) => editor.document.uri.toString() === source.uri);
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One, preserveFocus: false });
    editor.selection = new vscode.Selection(range.start, range.start);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  /** Groups the server did not expand leave the view's list; those too large to, with a word why. */
  private dropRefusedGroups(result: ReportResult): void {
    const report = result.report;
    if (!report || report.version !== result.version) return;
    this.expandedGroups = report.expandedGroups;
    const refused = report.tooLargeGroups;
    if (refused.length === 0) return;
    void vscode.window.showInformationMessage(`Fabric: ${refused.join(', ')} ${refused.length === 1 ? 'has' : 'have'} too many devices to draw one by one, so ${refused.length === 1 ? 'it stays a group' : 'they stay groups'}.`);
  }

  private post(): void {
    if (!this.result) return;
    this.postMessage({ type: 'report', result: this.result, state: this.state });
    if (this.pendingWorkload) this.postMessage({ type: 'reveal-workload', name: this.pendingWorkload });
    this.pendingWorkload = undefined;
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.document.toString());
    if (editor) this.highlightAt(editor.selection.active);
  }

  private postMessage(message: ToWebview): void {
    if (this.ready && !this.disposed) void this.panel.webview.postMessage(message);
  }
}
