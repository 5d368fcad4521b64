/** Every language feature the server offers; server.ts merges their capabilities and registers them. */
import { codeActionsFeature } from './code-actions.js';
import { completionFeature } from './completion.js';
import { customRequestsFeature } from './custom-requests.js';
import type { Feature } from './feature.js';
import { hoverFeature } from './hover.js';
import { codeLensFeature } from './code-lens.js';
import { inlayHintsFeature } from './inlay-hints.js';
import { navigationFeature } from './navigation.js';
import { renameFeature } from './rename.js';
import { reportFeature } from './report.js';
import { documentSymbolsFeature } from './document-symbols.js';
import { foldingFeature } from './folding.js';
import { formattingFeature } from './formatting.js';
import { semanticTokensFeature } from './semantic-tokens.js';
import { workspaceSymbolsFeature } from './workspace-symbols.js';

export const FEATURES: Feature[] = [hoverFeature, customRequestsFeature, reportFeature, navigationFeature, renameFeature, inlayHintsFeature, codeLensFeature, completionFeature, codeActionsFeature, formattingFeature, foldingFeature, documentSymbolsFeature, workspaceSymbolsFeature, semanticTokensFeature];
