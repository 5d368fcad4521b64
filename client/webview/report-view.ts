/**
 * The report view's script, in the webview. It inserts the markup the language server rendered
 * (the report engine lays out and draws; nothing is computed here) and handles interaction:
 * click to reveal the source, click a group to expand it, cursor highlights, zoom, pan and fit.
 */
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-container/index.js';
import type { VscodeTabs } from '@vscode-elements/elements/dist/vscode-tabs/vscode-tabs.js';
import type { ReportResult } from '../../shared/protocol';
import type { FromWebview, ReportViewState, ShownReport, ToWebview } from './messages';
import { ViewBox } from './view-box';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  setState(state: ReportViewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const sections = element<VscodeTabs>('sections');
const banner = element('banner');
const bannerText = element('banner-text');
const empty = element('empty');
const title = element('title');

let shown: ShownReport | undefined;
let shownFabric: string | null = null;
let highlighted: string[] = [];
let viewBox: ViewBox | undefined;
/** The section whose tab is selected, by its `data-section`: the drawing first. */
let selectedSection = 'topology';

/** An element's key in the source map: its `data-id`, else its `data-source`. */
const keyOf = (target: Element) => target.getAttribute('data-id') ?? target.getAttribute('data-source');

function elementsOf(key: string): Element[] {
  const quoted = CSS.escape(key);
  return [...sections.querySelectorAll(`[data-id="${quoted}"], [data-source="${quoted}"]:not([data-id])`)];
}

function highlight(keys: string[]): void {
  for (const previous of sections.querySelectorAll('.highlighted')) previous.classList.remove('highlighted');
  const targets = keys.flatMap(elementsOf);
  highlighted = keys.filter((key) => elementsOf(key).length > 0);
  for (const target of targets) target.classList.add('highlighted');
  // The first in the page comes into view unless some of it shows; for the drawing, its frame
  // (the viewBox pans inside it).
  const [first] = targets.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  const shownPart = first?.closest('.topology-frame') ?? first;
  const box = shownPart?.getBoundingClientRect();
  if (box && (box.bottom < 0 || box.top > window.innerHeight)) shownPart!.scrollIntoView({ block: 'nearest' });
}

/** Each of the engine's sections (cards) in a tab of its own, titled by its heading. */
function fillTabs(markup: string): void {
  const holder = document.createElement('div');
  holder.innerHTML = markup;
  const cards = [...holder.querySelectorAll<HTMLElement>('section[data-section]')];
  sections.replaceChildren(
    ...cards.flatMap((card) => {
      const header = document.createElement('vscode-tab-header');
      header.dataset.section = card.dataset.section;
      header.textContent = card.querySelector('h2')?.textContent ?? 'Summary';
      const panel = document.createElement('vscode-tab-panel');
      panel.append(card);
      return [header, panel];
    }),
  );
  selectTab(selectedSection);
}

function selectTab(section: string): void {
  const index = [...sections.querySelectorAll<HTMLElement>('vscode-tab-header')].findIndex((header) => header.dataset.section === section);
  sections.selectedIndex = Math.max(0, index);
}

function bannerFor(result: ReportResult): string | null {
  if (result.errors.length === 0) return null;
  const [first] = result.errors;
  const count = result.errors.length === 1 ? 'an error' : `${result.errors.length} errors`;
  const what = !result.report ? 'No report yet' : result.report.version === result.version ? 'This report may be incomplete' : 'Showing the report of the last version without errors';
  return `${what}: the file has ${count} (line ${first.line}: ${first.message}).`;
}

function show(result: ReportResult): void {
  const text = bannerFor(result);
  banner.hidden = text === null;
  bannerText.textContent = text ?? '';
  title.textContent = result.fabric ?? '';
  const report = result.report;
  const drawn = `${report?.version}\u0000${report?.expandedGroups.join('\u0000')}`;
  if (sections.dataset.drawn !== drawn) {
    fillTabs(report?.sections ?? '');
    sections.dataset.drawn = drawn;
    const svg = sections.querySelector<SVGSVGElement>('svg.topology');
    const frame = svg?.closest<HTMLElement>('.topology-frame');
    // A new drawing of the same fabric keeps the user's zoom and pan.
    const previous = result.fabric === shownFabric ? viewBox?.box : undefined;
    viewBox = svg && frame ? new ViewBox(frame, svg, previous) : undefined;
    shownFabric = result.fabric;
    // Keys of a new drawing may name other elements: the extension sends the cursor's again.
    highlight([]);
  }
  empty.hidden = report !== null;
  empty.textContent = report ? '' : result.fabric === null && result.errors.length === 0 ? 'This file declares no fabric.' : 'The report appears once the file checks without errors.';
  const heading = sections.querySelector('h1')?.textContent ?? null;
  shown = { version: result.version, reportVersion: report?.version ?? null, banner: text, heading, tab: selectedSection, elements: sections.querySelectorAll('[data-id], [data-source]').length, highlighted };
  vscode.postMessage({ type: 'shown', shown });
}

/** Tells the extension what changed in what the view shows. */
function showChanged(change: Partial<ShownReport>): void {
  if (shown) vscode.postMessage({ type: 'shown', shown: (shown = { ...shown, ...change }) });
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'report':
      vscode.setState(message.state);
      show(message.result);
      return;
    case 'highlight':
      highlight(message.ids);
      showChanged({ highlighted });
      return;
    case 'reveal-workload':
      selectTab((selectedSection = 'workloads'));
      [...sections.querySelectorAll('.workload')].find((workload) => workload.querySelector('h3')?.textContent === message.name)?.scrollIntoView({ block: 'start' });
      showChanged({ tab: selectedSection });
      return;
  }
});

sections.addEventListener('vsc-tabs-select', () => {
  selectedSection = sections.querySelectorAll<HTMLElement>('vscode-tab-header')[sections.selectedIndex]?.dataset.section ?? selectedSection;
  showChanged({ tab: selectedSection });
});

sections.addEventListener('click', (event) => {
  if (viewBox?.dragged) return;
  const target = event.target as Element;
  const group = target.closest('[data-group]');
  if (group) {
    vscode.postMessage({ type: 'expand-group', group: group.getAttribute('data-group')! });
    return;
  }
  const source = target.closest('[data-id], [data-source]');
  const key = source && keyOf(source);
  if (key) vscode.postMessage({ type: 'reveal', key });
});

element('zoom-in').addEventListener('click', () => viewBox?.zoom(1 / 1.25));
element('zoom-out').addEventListener('click', () => viewBox?.zoom(1.25));
element('fit').addEventListener('click', () => viewBox?.fit());
element('collapse').addEventListener('click', () => vscode.postMessage({ type: 'collapse-groups' }));
element('export').addEventListener('click', () => vscode.postMessage({ type: 'export' }));

vscode.postMessage({ type: 'ready' });
