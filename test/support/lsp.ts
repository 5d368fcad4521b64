/**
 * Drives the real language server process over stdio (`fabric lsp --stdio`), in the spirit of
 * Langium's test helpers: source text with a `<|>` cursor marker gives the position to ask about.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type Hover,
  type InitializeParams,
  type InitializeResult,
  type Position,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';

export const CURSOR = '<|>';

/** Removes the `<|>` marker and returns the text and the marker's position. */
export function cursor(marked: string): { text: string; position: Position } {
  const offset = marked.indexOf(CURSOR);
  if (offset < 0) throw new Error('no <|> marker in the text');
  const before = marked.slice(0, offset);
  const line = before.split('\n').length - 1;
  const character = offset - (before.lastIndexOf('\n') + 1);
  return { text: marked.slice(0, offset) + marked.slice(offset + CURSOR.length), position: { line, character } };
}

export interface ServerProcessOptions {
  /** Flags for node itself, before the script (such as `--require` of a probe). */
  nodeArgs?: string[];
  /** Opens an IPC channel to the server process, for a probe preloaded with `nodeArgs`. */
  ipc?: boolean;
}

export class LspClient {
  readonly connection: ProtocolConnection;
  /** The server process (for its exit code, or a probe's IPC channel). */
  readonly process: ChildProcess;
  private readonly diagnostics = new Map<string, Diagnostic[][]>();
  private readonly listeners: (() => void)[] = [];
  stderr = '';

  constructor(args: string[] = ['lsp', '--stdio'], options: ServerProcessOptions = {}) {
    const stdio = options.ipc ? (['pipe', 'pipe', 'pipe', 'ipc'] as const) : (['pipe', 'pipe', 'pipe'] as const);
    this.process = spawn(process.execPath, [...(options.nodeArgs ?? []), join(process.cwd(), 'bin/fabric.js'), ...args], { stdio: [...stdio] });
    this.process.stderr!.on('data', (chunk) => (this.stderr += chunk));
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, ({ uri, diagnostics }) => {
      const list = this.diagnostics.get(uri) ?? [];
      list.push(diagnostics);
      this.diagnostics.set(uri, list);
      for (const listener of [...this.listeners]) listener();
    });
    this.connection.listen();
  }

  /** `params` adds to or overrides the defaults, such as `workspaceFolders` or `capabilities`. */
  async initialize(settings: unknown = {}, params: Partial<InitializeParams> = {}): Promise<InitializeResult> {
    const result = await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: {},
      initializationOptions: { settings },
      ...params,
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
    return result;
  }

  async open(uri: string, text: string, version = 1): Promise<void> {
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'fabric', version, text } });
  }

  async change(uri: string, text: string, version: number): Promise<void> {
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Every publication received for `uri`, oldest first. */
  published(uri: string): Diagnostic[][] {
    return this.diagnostics.get(uri) ?? [];
  }

  /** Waits for a publication for `uri` (received after `since` of them) that satisfies `accept`. */
  waitForDiagnostics(uri: string, accept: (diagnostics: Diagnostic[]) => boolean, since = 0, timeoutMs = 10_000): Promise<Diagnostic[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const list = this.published(uri).slice(since);
        const found = list.find(accept);
        if (!found) return false;
        clearTimeout(timer);
        this.listeners.splice(this.listeners.indexOf(check), 1);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        this.listeners.splice(this.listeners.indexOf(check), 1);
        reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; received ${JSON.stringify(this.published(uri).map((d) => d.map((x) => x.code)))}`));
      }, timeoutMs);
      this.listeners.push(check);
      check();
    });
  }

  async hover(uri: string, position: Position): Promise<string> {
    const result: Hover | null = await this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
    if (!result) return '';
    const contents = result.contents;
    return typeof contents === 'string' ? contents : 'value' in contents ? contents.value : contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
  }

  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.process.once('exit', (code) => resolve(code)));
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    const code = await Promise.race([exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), 5000))]);
    if (this.process.exitCode === null) this.process.kill();
    this.connection.dispose();
    return code;
  }
}

export const codesOf = (diagnostics: Diagnostic[]) => diagnostics.map((d) => String(d.code));

/**
 * A fabric whose simulation runs far longer than any test waits: an all-to-all over 8,192 ranks
 * adds up 67 million member flows (more than 20 s of work on the development machine; 2,048 ranks
 * took 33 s until routes were shared by pairs attached alike, and now take under 2 s). `spare`
 * is an unused device, so the static check always publishes a diagnostic at once.
 */
export const RUNAWAY_SIMULATION = `fabric big {
  gpu acc[8192] : gpu_ualink
  switch leaf[512] : scorpio_x
  gpu spare
  for i in 0..8191 { link acc[i] <-> leaf[i / 16] : ualink x4 * 2 }
  for l in 0..510 { link leaf[l] <-> leaf[l + 1] : ualink x4 * 4 }
  workload w { alltoall 1 GiB over acc[*] }
}
`;
