/**
 * The Fabric language server: the only layer that speaks LSP. Started by the VS Code client over
 * IPC, or by any editor with `fabric lsp --stdio`.
 */
import { DidChangeConfigurationNotification, FileChangeType, TextDocuments, TextDocumentSyncKind, type InitializeResult } from 'vscode-languageserver';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isCatalogUri } from './catalog-file.js';
import { uriToPath } from './convert.js';
import { FEATURES } from './features/index.js';
import { guardedConnection } from './guard.js';
import { readSettings } from './settings.js';
import { Workspace } from './workspace.js';

declare const FABRIC_VERSION: string;

export function startServer(): void {
  const raw = createConnection(ProposedFeatures.all);
  const connection = guardedConnection(raw, { warn: (message) => raw.console.warn(message), error: (message) => raw.console.error(message) });
  // The last resort: a throw outside any handler (a timer, a worker's message) is logged, and
  // every open document goes on being served.
  process.on('uncaughtException', (error) => raw.console.error(`an unexpected error; the server goes on: ${error.stack ?? error.message}`));
  const documents = new TextDocuments(TextDocument);
  const workspace = new Workspace(connection);
  let pullConfiguration = false;

  connection.onInitialize((params): InitializeResult => {
    workspace.settings = readSettings((params.initializationOptions as { settings?: unknown } | undefined)?.settings);
    workspace.clientCapabilities = params.capabilities;
    workspace.roots = (params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri }] : [])).map((folder) => uriToPath(folder.uri));
    pullConfiguration = params.capabilities.workspace?.configuration === true && params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    return {
      capabilities: Object.assign({ textDocumentSync: TextDocumentSyncKind.Incremental }, ...FEATURES.map((f) => f.capabilities)),
      serverInfo: { name: 'fabric', version: typeof FABRIC_VERSION === 'string' ? FABRIC_VERSION : '0.0.0-dev' },
    };
  });

  connection.onInitialized(() => {
    if (pullConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'fabric' });
      void connection.workspace.getConfiguration('fabric').then((settings) => (workspace.settings = readSettings(settings)), () => undefined);
    }
  });

  connection.onDidChangeConfiguration((change) => {
    if (pullConfiguration) {
      void connection.workspace.getConfiguration('fabric').then((settings) => (workspace.settings = readSettings(settings)), () => undefined);
    } else {
      workspace.settings = readSettings(change.settings);
    }
  });

  // The catalog file opened from a definition is read as the catalog, never checked as a user's file.
  documents.onDidOpen((event) => {
    if (!isCatalogUri(event.document.uri)) workspace.open(event.document);
  });
  documents.onDidChangeContent((event) => {
    if (workspace.documents.has(event.document.uri)) workspace.change(event.document);
  });
  documents.onDidClose((event) => workspace.close(event.document.uri));

  connection.onDidChangeWatchedFiles((params) => {
    for (const change of params.changes) {
      if (change.type !== FileChangeType.Changed || !workspace.documents.has(change.uri)) workspace.fileChanged(uriToPath(change.uri));
    }
  });

  for (const feature of FEATURES) feature.register(connection, workspace);

  connection.onShutdown(() => workspace.dispose());
  documents.listen(connection);
  connection.listen();
}

startServer();
