/**
 * The VS Code client: starts the Fabric language server over IPC, registers the commands and the
 * status bar item. The only code that imports `vscode`; it draws what the server computes.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SimulateRequest, TopologyRequest } from '../../shared/protocol';
import { formatSimulation } from '../../server/src/report/text';
import type { SimulationReport } from '../../server/src/sim/report';

const SIMULATION_SCHEME = 'fabric-simulation';

let client: LanguageClient | undefined;

/** What the extension offers its tests and other extensions. */
export interface FabricApi {
  client: () => LanguageClient | undefined;
}

/** Read-only documents showing `fabric simulate` results, one per simulated file. */
class SimulationDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  show(source: vscode.Uri, report: SimulationReport): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: SIMULATION_SCHEME, path: `${source.path}.simulation.txt`, query: source.toString() });
    this.texts.set(uri.toString(), formatSimulation(report));
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? 'Run "Fabric: Simulate" on a .fabric file.';
  }
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

  const documents = new SimulationDocuments();
  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
  status.name = 'Fabric';
  status.command = 'fabric.simulate';

  const simulate = async (argument?: unknown): Promise<SimulationReport | undefined> => {
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
    const shown = documents.show(uri, report);
    const document = await vscode.workspace.openTextDocument(shown);
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: true });
    void updateStatus();
    return report;
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
    vscode.workspace.registerTextDocumentContentProvider(SIMULATION_SCHEME, documents),
    vscode.commands.registerCommand('fabric.simulate', simulate),
    vscode.commands.registerCommand('fabric.restartServer', async () => {
      await client?.restart();
      scheduleStatus();
    }),
    vscode.window.onDidChangeActiveTextEditor(scheduleStatus),
    vscode.languages.onDidChangeDiagnostics(scheduleStatus),
  );

  await client.start();
  scheduleStatus();
  return { client: () => client };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
