/**
 * The VS Code client: starts the Fabric language server over IPC, registers the commands, the
 * report views and the status bar item. The only code that imports `vscode`; it draws what the
 * server computes.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SimulateRequest, TopologyRequest } from '../../shared/protocol';
import { reportStylesheet } from '../../server/src/report/style';
import type { SimulationReport } from '../../server/src/sim/report';
import { exportReport } from './export-report';
import type { ReportPanel } from './report-panel';
import { ReportViews } from './report-views';

let client: LanguageClient | undefined;

/** What the extension offers its tests and other extensions. */
export interface FabricApi {
  client: () => LanguageClient | undefined;
  /** The open report views. */
  reports: () => ReportPanel[];
}

function activeFabricUri(argument?: unknown): vscode.Uri | undefined {
  if (typeof argument === 'string') return vscode.Uri.parse(argument);
  if (argument instanceof vscode.Uri) return argument;
  const editor = vscode.window.activeTextEditor;
  return editor?.document.languageId === 'fabric' ? editor.document.uri : undefined;
}

function formatTime(seconds: number): string {
  if (seconds < 1e-6) return `${(seconds * 1e9).toPrecision(3)} ns`;
  if (seconds < 1e-3) return `${(seconds * 1e6).toPrecision(3)} µs`;
  if (seconds < 1) return `${(seconds * 1e3).toPrecision(3)} ms`;
  return `${seconds.toPrecision(3)} s`;
}

export async function activate(context: vscode.ExtensionContext): Promise<FabricApi> {
  const output = vscode.window.createOutputChannel('Fabric Language Server', { log: true });
  const serverModule = context.asAbsolutePath('out/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'fabric' }],
    outputChannel: output,
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.fabric') },
    initializationOptions: { settings: { fabric: vscode.workspace.getConfiguration('fabric') } },
  };
  client = new LanguageClient('fabric', 'Fabric', serverOptions, clientOptions);

  const reports = new ReportViews(context.extensionUri, reportStylesheet, () => client);
  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
  status.name = 'Fabric';
  status.command = 'fabric.simulate';

  /** Opens (or reveals) the document's report view, scrolled to a workload when the code lens above one asks. */
  const showReport = (argument?: unknown, workload?: unknown): ReportPanel | undefined => {
    const uri = activeFabricUri(argument);
    if (!uri) {
      void vscode.window.showWarningMessage('Fabric: open a .fabric file to see its report.');
      return undefined;
    }
    const panel = reports.show(uri);
    if (typeof workload === 'string') panel.revealWorkload(workload);
    return panel;
  };

  /** Simulates the document and shows its report; answers with the JSON report (tests read it). */
  const simulate = async (argument?: unknown, workload?: unknown): Promise<SimulationReport | undefined> => {
    const uri = activeFabricUri(argument);
    if (!uri || !client) {
      void vscode.window.showWarningMessage('Fabric: open a .fabric file to simulate it.');
      return undefined;
    }
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Fabric: simulating' },
      () => client!.sendRequest(SimulateRequest, { uri: uri.toString() }),
    );
    if (!report) {
      void vscode.window.showWarningMessage(`Fabric: ${vscode.workspace.asRelativePath(uri)} declares no fabric to simulate.`);
      return undefined;
    }
    showReport(uri, workload);
    void updateStatus();
    return report;
  };

  /** Exports to `target` (a URI or a path; tests pass one), else to where a save dialog says. */
  const exportCommand = async (argument?: unknown, target?: unknown): Promise<vscode.Uri | undefined> => {
    const uri = activeFabricUri(argument) ?? reports.active()?.document;
    if (!uri || !client) {
      void vscode.window.showWarningMessage('Fabric: open a .fabric file to export its report.');
      return undefined;
    }
    const destination = typeof target === 'string' ? vscode.Uri.file(target) : target instanceof vscode.Uri ? target : undefined;
    try {
      const written = await exportReport(client, uri, reports.get(uri)?.state.expandedGroups ?? [], destination);
      if (written && !destination) void vscode.window.showInformationMessage(`Fabric: wrote the report to ${vscode.workspace.asRelativePath(written)}.`);
      return written;
    } catch (error) {
      void vscode.window.showErrorMessage(`Fabric: ${(error as Error).message}`);
      return undefined;
    }
  };

  let statusRun = 0;
  const updateStatus = async () => {
    const run = ++statusRun;
    const editor = vscode.window.activeTextEditor;
    if (!client || !editor || editor.document.languageId !== 'fabric') {
      status.hide();
      return;
    }
    const uri = editor.document.uri.toString();
    const topology = await client.sendRequest(TopologyRequest, { uri }).catch(() => null);
    if (run !== statusRun || !topology?.fabric) {
      if (run === statusRun) status.hide();
      return;
    }
    const accelerators = topology.devices.filter((d) => d.kind === 'gpu').length;
    const switches = topology.devices.filter((d) => d.kind === 'switch').length;
    status.text = `$(circuit-board) ${topology.fabric}: ${accelerators} accelerators, ${switches} switches`;
    status.tooltip = `${topology.devices.length} devices, ${topology.links.length} links. Click to simulate.`;
    status.show();
    if (!vscode.workspace.getConfiguration('fabric').get<boolean>('simulation.onChange', true)) return;
    const report = await client.sendRequest(SimulateRequest, { uri }).catch(() => null);
    if (run !== statusRun || !report || report.workloads.length === 0) return;
    const slowest = report.workloads.reduce((a, b) => (b.time_s > a.time_s ? b : a));
    status.text = `$(circuit-board) ${topology.fabric}: ${accelerators} accelerators · slowest ${slowest.name} ${formatTime(slowest.time_s)}`;
  };

  let statusTimer: NodeJS.Timeout | undefined;
  const scheduleStatus = () => {
    clearTimeout(statusTimer);
    statusTimer = setTimeout(() => void updateStatus(), 300);
  };

  context.subscriptions.push(
    output,
    status,
    reports,
    vscode.commands.registerCommand('fabric.simulate', simulate),
    vscode.commands.registerCommand('fabric.showReport', (argument?: unknown, workload?: unknown) => showReport(argument, workload) !== undefined),
    vscode.commands.registerCommand('fabric.exportReport', exportCommand),
    vscode.commands.registerCommand('fabric.restartServer', async () => {
      await client?.restart();
      reports.refreshAll();
      scheduleStatus();
    }),
    vscode.window.onDidChangeActiveTextEditor(scheduleStatus),
    vscode.languages.onDidChangeDiagnostics(scheduleStatus),
  );

  await client.start();
  scheduleStatus();
  return { client: () => client, reports: () => reports.all() };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
