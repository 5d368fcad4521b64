/**
 * What is at an offset: the innermost syntax the editor can say something about (a device, a
 * link, a statement, a quantity, a model), with the chain of items around it.
 */
import type * as A from './ast.js';
import type { Span } from './source.js';

export type Found =
  | { kind: 'device-decl'; decl: A.DeviceDecl; span: Span }
  | { kind: 'device-ref'; name: A.Name; index?: A.Expression; span: Span }
  | { kind: 'model-ref'; name: A.Name; span: Span }
  | { kind: 'model-decl'; decl: A.ModelDecl; span: Span }
  | { kind: 'link'; decl: A.LinkDecl; span: Span }
  | { kind: 'statement'; statement: A.Statement; span: Span }
  | { kind: 'workload'; decl: A.WorkloadDecl; span: Span }
  | { kind: 'workload-ref'; name: A.Name; span: Span }
  | { kind: 'quantity'; quantity: A.Quantity; span: Span }
  | { kind: 'expect'; decl: A.ExpectDecl; span: Span }
  | { kind: 'transformer-decl'; decl: A.TransformerDecl; span: Span }
  | { kind: 'transformer-ref'; name: A.Name; span: Span };

const inside = (span: Span, offset: number) => span.start <= offset && offset <= span.end;

function inQuantity(quantity: A.Quantity | undefined, offset: number): Found | undefined {
  return quantity && inside(quantity.span, offset) ? { kind: 'quantity', quantity, span: quantity.span } : undefined;
}

function inValue(value: A.Value | undefined, offset: number): Found | undefined {
  if (!value || !inside(value.span, offset)) return undefined;
  if (value.type === 'quantity') return inQuantity(value.quantity, offset);
  if (value.type === 'list') for (const item of value.items) {
    const found = inValue(item, offset);
    if (found) return found;
  }
  return undefined;
}

function inAttributes(attributes: readonly A.Attribute[], offset: number): Found | undefined {
  for (const attribute of attributes) {
    const found = inValue(attribute.value, offset);
    if (found) return found;
  }
  return undefined;
}

function deviceRef(target: A.Endpoint | A.Selector, offset: number): Found | undefined {
  if (!inside(target.name.span, offset)) return undefined;
  const raw = target.index;
  // An endpoint's index is an expression; a selector's is `*`, one index or a range.
  const index = !raw || raw.type === 'all' || raw.type === 'range' ? undefined : raw.type === 'one' ? raw.at : raw;
  return { kind: 'device-ref', name: target.name, index, span: target.name.span };
}

function inRefs(targets: (A.Endpoint | A.Selector)[], offset: number): Found | undefined {
  for (const target of targets) {
    const found = deviceRef(target, offset);
    if (found) return found;
  }
  return undefined;
}

function inStatement(statement: A.Statement, offset: number): Found | undefined {
  if (!inside(statement.span, offset)) return undefined;
  switch (statement.type) {
    case 'parallel':
    case 'for':
      for (const inner of statement.statements) {
        const found = inStatement(inner, offset);
        if (found) return found;
      }
      return undefined;
    case 'compute':
      return inQuantity(statement.time, offset) ?? { kind: 'statement', statement, span: statement.span };
    case 'collective':
      return inQuantity(statement.size, offset) ?? inRefs(statement.ranks, offset) ?? { kind: 'statement', statement, span: statement.span };
    case 'broadcast':
      return inQuantity(statement.size, offset) ?? inRefs([statement.root, ...statement.ranks], offset) ?? { kind: 'statement', statement, span: statement.span };
    case 'flow':
      return inQuantity(statement.size, offset) ?? inRefs([statement.source, statement.target], offset) ?? { kind: 'statement', statement, span: statement.span };
    case 'read':
    case 'write':
      return inQuantity(statement.size, offset) ?? inRefs([statement.device, ...statement.by], offset) ?? { kind: 'statement', statement, span: statement.span };
    case 'train':
    case 'serve':
      if (inside(statement.transformer.span, offset)) return { kind: 'transformer-ref', name: statement.transformer, span: statement.transformer.span };
      return inRefs(statement.ranks, offset) ?? { kind: 'statement', statement, span: statement.span };
  }
}

function inTransformer(decl: A.TransformerDecl, offset: number): Found | undefined {
  return inside(decl.span, offset) ? { kind: 'transformer-decl', decl, span: decl.name.span } : undefined;
}

function inItem(item: A.Item, offset: number): Found | undefined {
  if (!inside(item.span, offset)) return undefined;
  switch (item.type) {
    case 'device':
      if (item.model && inside(item.model.span, offset)) return { kind: 'model-ref', name: item.model, span: item.model.span };
      return inAttributes(item.attributes, offset) ?? { kind: 'device-decl', decl: item, span: item.name.span };
    case 'link':
      return inRefs([item.left, item.right], offset) ?? inAttributes(item.attributes, offset) ?? { kind: 'link', decl: item, span: item.span };
    case 'for':
      for (const inner of item.items) {
        const found = inItem(inner, offset);
        if (found) return found;
      }
      return undefined;
    case 'group':
      return inRefs(item.members, offset);
    case 'allocate':
      return inQuantity(item.size, offset) ?? inRefs([item.memory, ...item.targets], offset);
    case 'workload':
      if (inside(item.name.span, offset)) return { kind: 'workload', decl: item, span: item.name.span };
      for (const statement of item.statements) {
        const found = inStatement(statement, offset);
        if (found) return found;
      }
      return undefined;
    case 'expect':
      if (['time', 'throughput', 'mfu', 'ttft', 'tpot'].includes(item.metric.text) && item.subject[0] && inside(item.subject[0].name.span, offset)) {
        return { kind: 'workload-ref', name: item.subject[0].name, span: item.subject[0].name.span };
      }
      return inQuantity(item.bound, offset) ?? inRefs([...item.subject, ...(item.target ?? [])], offset) ?? { kind: 'expect', decl: item, span: item.span };
    case 'settings':
      return inAttributes(item.attributes, offset);
    case 'model':
      return inModel(item, offset);
    case 'transformer':
      return inTransformer(item, offset);
    case 'let':
      return undefined;
  }
}

function inModel(decl: A.ModelDecl, offset: number): Found | undefined {
  if (!inside(decl.span, offset)) return undefined;
  if (inside(decl.base.span, offset)) return { kind: 'model-ref', name: decl.base, span: decl.base.span };
  return inAttributes(decl.attributes, offset) ?? { kind: 'model-decl', decl, span: decl.name.span };
}

export function findAt(tree: A.FileNode, offset: number): Found | undefined {
  for (const model of tree.models) {
    const found = inModel(model, offset);
    if (found) return found;
  }
  for (const transformer of tree.transformers) {
    const found = inTransformer(transformer, offset);
    if (found) return found;
  }
  for (const fabric of tree.fabrics) {
    for (const item of fabric.items) {
      const found = inItem(item, offset);
      if (found) return found;
    }
  }
  return undefined;
}
