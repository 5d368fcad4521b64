/**
 * Completion, the pure half: what may stand at an offset of a possibly half-written file, and the
 * items to offer there. The context comes from the tokens before the cursor, not from the syntax
 * tree, because the parser's recovery drops whole declarations around an unfinished line while the
 * tokens are all still there. Declared names come from a token scan of the whole file for the same
 * reason; models, ports and constant values come from the last check of the text.
 */
import type { CheckResult } from '../../model/check.js';
import { parameterCounts } from '../../model/transformer-params.js';
import { itemsOf, modelsOf, type Knowledge } from './items.js';
import type { CompletionItem, Completions } from './slots.js';
import { locate, slotsOf, Walker } from './walker.js';

export type { CompletionItem, CompletionKind, Completions } from './slots.js';

/**
 * The completions at `offset` of `text`. `check` is the check of this same text: it supplies the
 * catalog's and imported models, device ports and constant values; without it only what the text
 * itself declares is offered.
 */
export function complete(text: string, offset: number, check?: CheckResult): Completions {
  const cursor = locate(text, offset);
  if (!cursor) return { replace: { start: offset, end: offset }, items: [] };
  const walker = new Walker(cursor.tokens, cursor.typing);
  for (let i = 0; i < cursor.before; i++) walker.step(i);
  const stack = walker.stack.map((frame) => ({ ...frame, item: [...frame.item] }));
  for (let i = cursor.before; i < cursor.tokens.length; i++) walker.step(i);

  const { models, modelKind } = modelsOf(check, walker.declarations.models);
  const loopVariables = stack.flatMap((frame) => ('variable' in frame && frame.variable ? [frame.variable] : []));
  const knowledge: Knowledge = { declarations: walker.declarations, loopVariables, models, modelKind, fabric: check?.fabric, transformers: transformersOf(check) };
  // Right after a `:` (a completion trigger), the item brings the space the file's style puts there.
  const spaced = cursor.replace.start === offset && text[offset - 1] === ':';
  const seen = new Set<string>();
  const items: CompletionItem[] = [];
  for (const slot of slotsOf(stack[stack.length - 1], modelKind)) {
    for (const item of itemsOf(slot, knowledge)) {
      const key = `${item.kind}\u0000${item.label}`;
      if (seen.has(key)) continue;
      seen.add(key);
      items.push(spaced ? { ...item, insert: ` ${item.insert ?? item.label}` } : item);
    }
  }
  return { replace: cursor.replace, items };
}

/** The transformers a `train` or `serve` may name, with their size: the resolved ones, else the catalog's names. */
function transformersOf(check: CheckResult | undefined): Map<string, string> {
  const known = new Map<string, string>();
  for (const [name, transformer] of check?.fabric?.transformers ?? []) {
    const { total, active } = parameterCounts(transformer.shape);
    known.set(name, `transformer · ${(total / 1e9).toFixed(1)} B parameters${active < total ? `, ${(active / 1e9).toFixed(1)} B active` : ''}`);
  }
  for (const decl of check?.catalog.tree.transformers ?? []) if (!known.has(decl.name.text)) known.set(decl.name.text, 'transformer');
  return known;
}
