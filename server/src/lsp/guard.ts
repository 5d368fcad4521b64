/**
 * The server never dies on a message (issue 20, part 6). Every handler a feature registers goes
 * through one guard at the dispatch level: its params are checked first, so a careless client's
 * message gets an `InvalidParams` (-32602) answer that says what is wrong; and anything a handler
 * throws becomes an error answer and a log line, so a bug in one feature costs one answer, not the
 * session. Notifications have no answer: a bad one is logged and ignored.
 */
import { ErrorCodes, ResponseError, type Connection } from 'vscode-languageserver';

class InvalidParams extends Error {}

type Params = Record<string, unknown>;

const isObject = (value: unknown): value is Params => typeof value === 'object' && value !== null && !Array.isArray(value);

function object(value: unknown, what: string): Params {
  if (!isObject(value)) throw new InvalidParams(`${what} must be an object, not ${value === undefined ? 'missing' : JSON.stringify(value)}`);
  return value;
}

/** LSP's uinteger: zero-based lines and characters may be past the end (they are clamped), never negative. */
function position(value: unknown, what: string): void {
  const { line, character } = object(value, what);
  for (const [name, n] of [['line', line], ['character', character]] as const) {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 2 ** 31 - 1) throw new InvalidParams(`${what}.${name} must be a whole number from 0 to 2^31 - 1, not ${JSON.stringify(n)}`);
  }
}

function range(value: unknown, what = 'range'): void {
  const given = object(value, what);
  position(given.start, `${what}.start`);
  position(given.end, `${what}.end`);
  const start = given.start as { line: number; character: number };
  const end = given.end as { line: number; character: number };
  if (end.line < start.line || (end.line === start.line && end.character < start.character)) throw new InvalidParams(`${what} ends before it starts`);
}

/** LSP's integer, as a document's version is. */
const isLspInteger = (value: unknown): boolean => typeof value === 'number' && Number.isInteger(value) && value >= -(2 ** 31) && value <= 2 ** 31 - 1;

function textDocument(params: Params): void {
  const document = object(params.textDocument, 'textDocument');
  if (typeof document.uri !== 'string' || document.uri === '') throw new InvalidParams('textDocument.uri must be a URI string');
}

const MAX_TAB_SIZE = 64;

function formattingOptions(value: unknown): void {
  const { tabSize, insertSpaces } = object(value, 'options');
  if (typeof tabSize !== 'number' || !Number.isInteger(tabSize) || tabSize < 1 || tabSize > MAX_TAB_SIZE) {
    throw new InvalidParams(`options.tabSize must be a whole number from 1 to ${MAX_TAB_SIZE}, not ${JSON.stringify(tabSize)}`);
  }
  if (typeof insertSpaces !== 'boolean') throw new InvalidParams('options.insertSpaces must be true or false');
}

const atPosition = (params: Params) => {
  textDocument(params);
  position(params.position, 'position');
};
const inRange = (params: Params) => {
  textDocument(params);
  range(params.range);
};

/**
 * The custom requests (shared/protocol.ts) take `{ uri }` or, as rust-analyzer's and other
 * servers' do, `{ textDocument: { uri } }`; the second is read as the first.
 */
function documentUri(params: Params): void {
  if (params.uri === undefined && isObject(params.textDocument)) params.uri = params.textDocument.uri;
  if (typeof params.uri !== 'string' || params.uri === '') throw new InvalidParams('the params need the document, as `uri` or `textDocument.uri`');
}

/** Checks by what a handler is registered with: the connection's method, or the request's name. */
const CHECKS: Record<string, (params: Params) => void> = {
  onHover: atPosition,
  onCompletion: atPosition,
  onDefinition: atPosition,
  onReferences: (params) => {
    atPosition(params);
    if (typeof object(params.context, 'context').includeDeclaration !== 'boolean') throw new InvalidParams('context.includeDeclaration must be true or false');
  },
  onDocumentHighlight: atPosition,
  onPrepareRename: atPosition,
  onRenameRequest: (params) => {
    atPosition(params);
    if (typeof params.newName !== 'string') throw new InvalidParams('newName must be a string');
  },
  onDocumentFormatting: (params) => {
    textDocument(params);
    formattingOptions(params.options);
  },
  onDocumentRangeFormatting: (params) => {
    inRange(params);
    formattingOptions(params.options);
  },
  onCodeAction: (params) => {
    inRange(params);
    const context = object(params.context, 'context');
    if (!Array.isArray(context.diagnostics)) throw new InvalidParams('context.diagnostics must be a list');
    for (const diagnostic of context.diagnostics) range(object(diagnostic, 'a diagnostic').range, 'a diagnostic’s range');
  },
  onCodeLens: textDocument,
  onDocumentSymbol: textDocument,
  onFoldingRanges: textDocument,
  'languages.inlayHint.on': inRange,
  'languages.semanticTokens.on': textDocument,
  'languages.semanticTokens.onRange': inRange,
  onWorkspaceSymbol: (params) => {
    if (typeof params.query !== 'string') throw new InvalidParams('query must be a string');
  },
  onDidOpenTextDocument: (params) => {
    textDocument(params);
    const document = params.textDocument as Params;
    if (typeof document.text !== 'string') throw new InvalidParams('textDocument.text must be the document’s text');
    if (!isLspInteger(document.version)) throw new InvalidParams('textDocument.version must be a whole number from -2^31 to 2^31 - 1');
  },
  onDidChangeTextDocument: (params) => {
    textDocument(params);
    const { version } = params.textDocument as Params;
    if (!isLspInteger(version)) throw new InvalidParams('textDocument.version must be a whole number from -2^31 to 2^31 - 1');
    if (!Array.isArray(params.contentChanges)) throw new InvalidParams('contentChanges must be a list');
    for (const change of params.contentChanges) {
      const given = object(change, 'a content change');
      if (typeof given.text !== 'string') throw new InvalidParams('a content change needs its text');
      if (given.range !== undefined) range(given.range, 'a content change’s range');
    }
  },
  onDidCloseTextDocument: textDocument,
  'fabric/simulate': documentUri,
  'fabric/topology': documentUri,
  'fabric/report': (params) => {
    documentUri(params);
    if (params.expandedGroups === undefined) params.expandedGroups = [];
    if (!Array.isArray(params.expandedGroups) || !params.expandedGroups.every((group) => typeof group === 'string')) throw new InvalidParams('expandedGroups must be a list of group names');
  },
  'fabric/reportClosed': documentUri,
  'fabric/exportReport': (params) => {
    CHECKS['fabric/report']!(params);
    if (params.format !== 'html' && params.format !== 'svg') throw new InvalidParams('format must be `html` or `svg`');
  },
};

/** Handlers whose params may be absent. */
const OPTIONAL_PARAMS = new Set(['onInitialized', 'onShutdown', 'onExit']);

/** The name a request type or method string registers under. */
function methodName(typeOrMethod: unknown): string | undefined {
  if (typeof typeOrMethod === 'string') return typeOrMethod;
  return isObject(typeOrMethod) && typeof typeOrMethod.method === 'string' ? typeOrMethod.method : undefined;
}

/** A connection whose every registered handler runs through the guard, logging to `log`. */
export function guardedConnection(connection: Connection, log: { warn(message: string): void; error(message: string): void }): Connection {
  const fail = (name: string, error: unknown): ResponseError<unknown> => {
    // A feature's own answer of an error (a rename to a reserved word) goes to the client as it is.
    if (error instanceof ResponseError) return error;
    if (error instanceof InvalidParams) {
      log.warn(`${name}: invalid params: ${error.message}`);
      return new ResponseError(ErrorCodes.InvalidParams, `invalid params: ${error.message}`);
    }
    log.error(`${name} failed; the server goes on: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return new ResponseError(ErrorCodes.InternalError, `the Fabric server failed on ${name}: ${error instanceof Error ? error.message : String(error)}; it goes on serving`);
  };
  const guard = (name: string, handler: (...args: unknown[]) => unknown) =>
    function (this: unknown, ...args: unknown[]): unknown {
      try {
        const check = CHECKS[name];
        if (check) check(object(args[0], 'params'));
        else if (!OPTIONAL_PARAMS.has(name) && args.length > 0 && args[0] !== undefined && !isObject(args[0]) && !Array.isArray(args[0])) {
          throw new InvalidParams('the params must be an object');
        }
        const result = handler.apply(this, args);
        return result instanceof Promise ? result.catch((error: unknown) => fail(name, error)) : result;
      } catch (error) {
        return fail(name, error);
      }
    };
  const wrap = <T extends object>(target: T, path: string): T =>
    new Proxy(target, {
      get(object, property, receiver) {
        const value = Reflect.get(object, property, receiver) as unknown;
        if (typeof property !== 'string') return value;
        const name = path ? `${path}.${property}` : property;
        if (typeof value === 'function') {
          if (!/^on[A-Z]?/.test(property)) return value.bind(object);
          return (...args: unknown[]) => {
            const registered = property === 'onRequest' || property === 'onNotification' ? (methodName(args[0]) ?? name) : name;
            return value.apply(object, args.map((arg) => (typeof arg === 'function' ? guard(registered, arg as (...a: unknown[]) => unknown) : arg)));
          };
        }
        return typeof value === 'object' && value !== null && (property === 'languages' || property === 'inlayHint' || property === 'semanticTokens') ? wrap(value, name) : value;
      },
    });
  return wrap(connection, '');
}
