/** A language feature: the capabilities it announces and the handlers it registers. */
import type { Connection, ServerCapabilities } from 'vscode-languageserver';
import type { Workspace } from '../workspace.js';

export interface Feature {
  capabilities: ServerCapabilities;
  register(connection: Connection, workspace: Workspace): void;
}
