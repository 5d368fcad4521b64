/**
 * The messages between the report view's webview (report-view.ts) and the extension
 * (client/src/report-panel.ts). Types only: imported by both bundles.
 */
import type { ReportResult } from '../../shared/protocol';

/** What the webview persists with `setState` and its serializer restores after a reload. */
export interface ReportViewState {
  uri: string;
  expandedGroups: string[];
}

export type ToWebview =
  /** The server's answer to `fabric/report`, to show. */
  | { type: 'report'; result: ReportResult; state: ReportViewState }
  /** The elements declared where the editor's cursor is, by their keys in the source map (a loop's line draws many). */
  | { type: 'highlight'; ids: string[] }
  /** Scroll a workload's section into view (the code lens above a workload). */
  | { type: 'reveal-workload'; name: string };

export type FromWebview =
  /** The script is loaded and listening. */
  | { type: 'ready' }
  /** The user clicked an element (its key in the source map): open its source. */
  | { type: 'reveal'; key: string }
  /** The user clicked a collapsed group: draw its members. */
  | { type: 'expand-group'; group: string }
  | { type: 'collapse-groups' }
  | { type: 'export' }
  /** What the webview shows now, after a `report` or `highlight` message. */
  | { type: 'shown'; shown: ShownReport };

export interface ShownReport {
  /** The document version of the answer shown and of the report under it (null: none yet). */
  version: number;
  reportVersion: number | null;
  /** The banner's text while the document has errors, else null. */
  banner: string | null;
  /** The report's heading (the fabric's name) as shown, and the section whose tab is selected. */
  heading: string | null;
  tab: string;
  /** How many elements with a source the view holds, and the keys of those highlighted. */
  elements: number;
  highlighted: string[];
}
