/**
 * The open report views, one per document: opening or revealing them, restoring them after a
 * reload (a WebviewPanelSerializer: no hidden webview is kept alive), and keeping them live —
 * a view asks again whenever its document's diagnostics change (after each check and each
 * simulation, of its own text or of a file it imports), and follows the editor's cursor.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ReportViewState } from '../webview/messages';
import { ReportPanel, type ReportPanelHost } from './report-panel';

export const REPORT_VIEW_TYPE = 'fabric.report';

export class ReportViews implements vscode.WebviewPanelSerializer<ReportViewState>, vscode.Disposable {
  private readonly panels = new Map<string, ReportPanel>();
  private readonly subscriptions: vscode.Disposable[];
  private readonly host: ReportPanelHost;

  constructor(extensionUri: vscode.Uri, stylesheet: string, client: () => LanguageClient | undefined) {
    this.host = { client, extensionUri, stylesheet, disposed: (panel) => this.panels.delete(panel.document.toString()) };
    this.subscriptions = [
      vscode.window.registerWebviewPanelSerializer(REPORT_VIEW_TYPE, this),
      vscode.languages.onDidChangeDiagnostics((event) => {
        for (const uri of event.uris) void this.panels.get(uri.toString())?.refresh();
      }),
      vscode.window.onDidChangeTextEditorSelection((event) => {
        this.panels.get(event.textEditor.document.uri.toString())?.highlightAt(event.selections[0].active);
      }),
    ];
  }

  /** The document's view, opened beside the editor or revealed where it is. */
  show(document: vscode.Uri): ReportPanel {
    const existing = this.panels.get(document.toString());
    if (existing) {
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, titleOf(document), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableFindWidget: true });
    return this.adopt(panel, { uri: document.toString(), expandedGroups: [] });
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: ReportViewState | undefined): Promise<void> {
    if (!state?.uri) {
      panel.dispose();
      return;
    }
    this.adopt(panel, state);
  }

  get(document: vscode.Uri): ReportPanel | undefined {
    return this.panels.get(document.toString());
  }

  /** The view with the keyboard focus, if one has it. */
  active(): ReportPanel | undefined {
    return this.all().find((view) => view.panel.active);
  }

  all(): ReportPanel[] {
    return [...this.panels.values()];
  }

  /** After a server restart: the new server learns of the views from their requests. */
  refreshAll(): void {
    for (const panel of this.panels.values()) void panel.refresh();
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    for (const panel of this.all()) panel.panel.dispose();
  }

  private adopt(panel: vscode.WebviewPanel, state: ReportViewState): ReportPanel {
    const document = vscode.Uri.parse(state.uri);
    panel.title = titleOf(document);
    const view = new ReportPanel(panel, document, state.expandedGroups ?? [], this.host);
    this.panels.set(state.uri, view);
    return view;
  }
}

function titleOf(document: vscode.Uri): string {
  return `Report: ${document.path.split('/').pop()}`;
}
