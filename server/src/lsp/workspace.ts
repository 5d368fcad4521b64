/**
 * Open documents and what the server knows of them: the static check (on the main thread, at
 * once), the simulation (in a worker, right after, cancelled by the next edit), the diagnostics
 * published for each file, and which documents import which files.
 */
import type { ClientCapabilities, Connection, Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { RenderedReport } from '../../../shared/protocol.js';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { readRegularFile } from '../disk/read.js';
import { checkText, type CheckResult } from '../model/check.js';
import { capDiagnostics, DEFAULT_MAX_DIAGNOSTICS_PER_FILE } from '../model/diagnostic-cap.js';
import type { Limits } from '../model/limits.js';
import type { FileAccess } from '../model/program.js';
import { Network } from '../sim/network.js';
import type { SimulationReport } from '../sim/report.js';
import type { Diagnostic, SourceFile } from '../syntax/source.js';
import { uriOfPath } from './catalog-file.js';
import { toLspDiagnostic, uriToPath } from './convert.js';
import { importsLeavingWorkspace } from './import-reach.js';
import type { RenderJob } from './report-render.js';
import { SimulationRunner, type RunOutcome } from './simulation-runner.js';

export interface ServerSettings {
  /** Milliseconds of quiet after an edit before checking. */
  debounceMs: number;
  /** Simulate after every check (otherwise only on request). */
  simulateOnChange: boolean;
  /** A simulation running longer is stopped with a diagnostic. */
  simulationBudgetMs: number;
  /** Diagnostics published per file, the rest counted in one summary; 0 publishes all. */
  maxDiagnosticsPerFile: number;
  limits: Partial<Limits>;
}

export const DEFAULT_SETTINGS: ServerSettings = {
  debounceMs: 50,
  simulateOnChange: true,
  simulationBudgetMs: 30_000,
  maxDiagnosticsPerFile: DEFAULT_MAX_DIAGNOSTICS_PER_FILE,
  limits: {},
};

export interface DocumentState {
  uri: string;
  path: string;
  document: TextDocument;
  check?: CheckResult;
  checkedVersion?: number;
  /** Counts checks, forced re-checks included: a simulation's result counts only for its own. */
  generation: number;
  network?: Network;
  report?: SimulationReport;
  reportVersion?: number;
  /** The report view's rendering from a simulation run while a view was open, and the check and groups it was asked for. */
  rendered?: RenderedReport;
  renderedFor?: { generation: number; expandedGroups: string[] };
  /** The groups the simulation in flight renders for a view, so that a view's request waits for it rather than starting another. */
  rendering?: { generation: number; expandedGroups: string[] };
  timer?: NodeJS.Timeout;
  /** Requests waiting for the simulation of the current version. */
  waiters: ((report: SimulationReport | undefined) => void)[];
  /** The generation whose simulation is running, if one is. */
  simulating?: number;
}

export class Workspace {
  readonly documents = new Map<string, DocumentState>();
  settings: ServerSettings = DEFAULT_SETTINGS;
  /** What the client announced at initialize (server.ts sets it), such as support for refresh requests. */
  clientCapabilities: ClientCapabilities = {};
  /** The client's workspace folders as paths (server.ts sets them): where rename looks for importers on disk. */
  roots: string[] = [];
  /** Called when a simulation report is stored, so that features showing its figures can have the client refresh them. */
  readonly reportListeners: ((state: DocumentState) => void)[] = [];
  /** Documents with an open report view → the groups it shows expanded: their simulations render the report too. */
  readonly reportViews = new Map<string, string[]>();
  private readonly runner: SimulationRunner;
  /** Diagnostics each root document contributes to each file (its own and the files it imports). */
  private readonly published = new Map<string, Map<string, LspDiagnostic[]>>();

  constructor(
    private readonly connection: Connection,
    workerPath?: string,
  ) {
    this.runner = new SimulationRunner(() => this.settings.simulationBudgetMs, (message) => connection.console.error(message), workerPath);
  }

  /** Open documents win over the disk, so unsaved edits to an imported file count. */
  readonly files: FileAccess = {
    read: (path, maxCharacters) => {
      for (const state of this.documents.values()) if (state.path === path) return state.document.getText();
      return readRegularFile(path, maxCharacters);
    },
  };

  open(document: TextDocument): void {
    // A client that opens a document twice replaces its text: that is an edit.
    if (this.documents.has(document.uri)) return this.change(document);
    const state: DocumentState = { uri: document.uri, path: uriToPath(document.uri), document, generation: 0, waiters: [] };
    this.documents.set(document.uri, state);
    this.refresh(state, 0);
    this.refreshDependents(state.path);
  }

  change(document: TextDocument): void {
    const state = this.documents.get(document.uri);
    if (!state) return this.open(document);
    state.document = document;
    // The running simulation is stale now: stop it rather than let it finish.
    this.runner.cancel(state.uri);
    this.refresh(state, this.settings.debounceMs);
    this.refreshDependents(state.path);
  }

  close(uri: string): void {
    const state = this.documents.get(uri);
    if (!state) return;
    clearTimeout(state.timer);
    this.runner.cancel(uri);
    for (const waiter of state.waiters) waiter(undefined);
    this.documents.delete(uri);
    this.publish(uri, new Map());
  }

  /** A file changed on disk (or was created or deleted): re-check the documents importing it. */
  fileChanged(path: string): void {
    this.refreshDependents(path);
  }

  dispose(): void {
    for (const state of this.documents.values()) clearTimeout(state.timer);
    this.runner.dispose();
  }

  private refreshDependents(path: string): void {
    for (const state of this.documents.values()) {
      if (state.path === path || !state.check) continue;
      if (state.check.program.files.some((file) => file.source.path === path) || state.check.diagnostics.some((d) => d.code === 'import-missing' || d.code === 'import-kind')) {
        // Its own text did not change, so its version did not either: force the check, and
        // stop a simulation that read the old file.
        state.checkedVersion = undefined;
        this.runner.cancel(state.uri);
        this.refresh(state, this.settings.debounceMs);
      }
    }
  }

  private refresh(state: DocumentState, delayMs: number): void {
    clearTimeout(state.timer);
    state.timer = setTimeout(() => this.checkNow(state), delayMs);
  }

  /** The check of the current version, computed now if the debounce has not run yet. */
  current(state: DocumentState): CheckResult {
    if (!state.check || state.checkedVersion !== state.document.version) this.checkNow(state);
    return state.check!;
  }

  network(state: DocumentState): Network {
    const check = this.current(state);
    if (!state.network && check.fabric) state.network = new Network(check.fabric);
    return state.network!;
  }

  private checkNow(state: DocumentState): void {
    clearTimeout(state.timer);
    state.timer = undefined;
    if (!this.documents.has(state.uri)) return;
    const version = state.document.version;
    if (state.check && state.checkedVersion === version) return;
    state.check = checkText(state.path, state.document.getText(), this.files, { limits: this.settings.limits });
    state.checkedVersion = version;
    state.generation++;
    state.network = undefined;
    this.publishFor(state, state.check.diagnostics);
    if (this.settings.simulateOnChange || state.waiters.length > 0) this.simulate(state);
    // Routing tables for hover, built while the user is still reading the diagnostics.
    setImmediate(() => {
      if (state.checkedVersion === version && state.check?.fabric && !state.network) state.network = new Network(state.check.fabric);
    });
  }

  /** The simulation report of the current version, simulating if need be. */
  report(state: DocumentState): Promise<SimulationReport | undefined> {
    const check = this.current(state);
    // Nothing to simulate: a waiter would wait for a simulation that never comes.
    if (!check.fabric) return Promise.resolve(undefined);
    if (state.report && state.reportVersion === state.document.version) return Promise.resolve(state.report);
    return new Promise((resolve) => {
      state.waiters.push(resolve);
      // The current version's simulation may have ended without a report (stopped over its
      // budget, failed): then this one asks again.
      if (!this.settings.simulateOnChange || state.simulating !== state.generation) this.simulate(state);
    });
  }

  /** Simulates the current version again (a report view wants other groups expanded) and resolves once that run settles. */
  resimulate(state: DocumentState): Promise<SimulationReport | undefined> {
    this.current(state);
    return new Promise((resolve) => {
      state.waiters.push(resolve);
      this.simulate(state);
    });
  }

  /** Renders the current text's report for export, in the worker, leaving the document's state alone. */
  renderOnce(state: DocumentState, render: RenderJob): Promise<RunOutcome> {
    return this.runner.run(`${state.uri}\u0000export`, { path: state.path, text: state.document.getText(), overlays: this.overlaysFor(state), limits: this.settings.limits, uri: state.uri, render });
  }

  private overlaysFor(state: DocumentState): Record<string, string> {
    const overlays: Record<string, string> = {};
    for (const other of this.documents.values()) if (other !== state) overlays[other.path] = other.document.getText();
    return overlays;
  }

  private simulate(state: DocumentState): void {
    const check = state.check;
    const version = state.checkedVersion;
    const generation = state.generation;
    if (!check?.fabric) {
      this.settle(state, undefined);
      return;
    }
    const expandedGroups = this.reportViews.get(state.uri);
    state.rendering = expandedGroups && { generation, expandedGroups };
    const render: RenderJob | undefined = expandedGroups && { expandedGroups, output: 'view' };
    state.simulating = generation;
    void this.runner.run(state.uri, { path: state.path, text: state.document.getText(), overlays: this.overlaysFor(state), limits: this.settings.limits, uri: state.uri, render }).then((outcome) => {
      if (!this.documents.has(state.uri) || state.generation !== generation || outcome.kind === 'cancelled') return;
      state.rendering = undefined;
      state.simulating = undefined;
      switch (outcome.kind) {
        case 'done': {
          state.report = outcome.answer.report;
          state.reportVersion = version;
          const rendered = outcome.answer.rendered;
          if (rendered?.output === 'view' && expandedGroups && version !== undefined) {
            const { output: _output, ...markup } = rendered;
            state.rendered = { version, ...markup };
            state.renderedFor = { generation, expandedGroups };
          }
          this.publishFor(state, outcome.answer.diagnostics);
          this.settle(state, state.report);
          for (const listener of this.reportListeners) listener(state);
          return;
        }
        case 'timeout':
          this.publishFor(state, [...check.diagnostics, this.timeoutDiagnostic(state, outcome.budgetMs)]);
          this.settle(state, undefined);
          return;
        case 'failed':
          this.connection.console.error(`simulation of ${state.uri} failed: ${outcome.error}`);
          this.settle(state, undefined);
          return;
      }
    });
  }

  private timeoutDiagnostic(state: DocumentState, budgetMs: number): Diagnostic {
    const name = state.check!.fabric!.name;
    const decl = state.check!.program.entry.tree.fabrics[0];
    return {
      file: state.path,
      span: decl ? decl.name.span : { start: 0, end: 0 },
      code: 'limit',
      severity: 'error',
      message: `the simulation of ${name} took longer than ${(budgetMs / 1000).toLocaleString('en-US')} s and was stopped; static diagnostics are shown. Simplify the workloads or raise the simulation time budget (fabric.simulation.timeBudgetMs)`,
      related: [],
    };
  }

  private settle(state: DocumentState, report: SimulationReport | undefined): void {
    const waiters = state.waiters;
    state.waiters = [];
    for (const waiter of waiters) waiter(report);
  }

  /** Publishes a root document's diagnostics, split by the file they are about. */
  private publishFor(state: DocumentState, diagnostics: Diagnostic[]): void {
    const sources = new Map<string, SourceFile>();
    for (const file of state.check?.program.files ?? []) sources.set(file.source.path, file.source);
    if (state.check) sources.set(state.check.catalog.source.path, state.check.catalog.source);
    const byFile = new Map<string, LspDiagnostic[]>([[state.uri, []]]);
    const add = (file: string, diagnostic: LspDiagnostic) => {
      const uri = file === state.path ? state.uri : uriOfPath(file);
      let list = byFile.get(uri);
      if (!list) byFile.set(uri, (list = []));
      list.push(diagnostic);
    };
    for (const diagnostic of capDiagnostics(diagnostics, this.settings.maxDiagnosticsPerFile).diagnostics) {
      add(diagnostic.file, toLspDiagnostic(diagnostic, (path) => sources.get(path)));
    }
    if (state.check) {
      for (const [file, warnings] of importsLeavingWorkspace(state.check.program, this.roots)) for (const warning of warnings) add(file, warning);
    }
    this.publish(state.uri, byFile);
  }

  private publish(root: string, byFile: Map<string, LspDiagnostic[]>): void {
    const previous = this.published.get(root) ?? new Map<string, LspDiagnostic[]>();
    if (byFile.size === 0) this.published.delete(root);
    else this.published.set(root, byFile);
    for (const uri of new Set([...previous.keys(), ...byFile.keys()])) {
      // A file's diagnostics are the union of what every open root document says of it.
      const all: LspDiagnostic[] = [];
      for (const contributions of this.published.values()) for (const diagnostic of contributions.get(uri) ?? []) all.push(diagnostic);
      void this.connection.sendDiagnostics({ uri, diagnostics: all });
    }
  }
}
