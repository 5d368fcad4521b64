/** The Fabric syntax tree. Every node carries the exact span of its source. */
import type { Span } from './source.js';

export interface Name {
  text: string;
  span: Span;
}

export type Expression =
  | { type: 'number'; value: number; text: string; span: Span }
  | { type: 'name'; name: Name; span: Span }
  | { type: 'binary'; operator: '+' | '-' | '*' | '/' | '%'; left: Expression; right: Expression; span: Span };

/** A number with its unit as written (`GB/s`, `%`, `µs`), or none. */
export interface Quantity {
  value: number;
  text: string;
  unit?: Name;
  span: Span;
}

export interface PortSpec {
  protocol: Name;
  width: Name;
  count?: Expression;
  span: Span;
}

/** List items carry `estimate`: the comment on their own line, when it calls them estimates. */
export type Value = (
  | { type: 'quantity'; quantity: Quantity; span: Span }
  | { type: 'string'; value: string; span: Span }
  | { type: 'word'; word: Name; span: Span }
  | { type: 'width'; width: Name; span: Span }
  | { type: 'port'; port: PortSpec; span: Span }
  | { type: 'list'; items: Value[]; span: Span }
  /** `*`: the rest of the ranks (`dp: *`), a value only for parallel degrees and `replicas`. */
  | { type: 'rest'; span: Span }
) & { estimate?: string };

export interface Attribute {
  key: Name;
  value?: Value;
  /** The comment on the attribute's line, when it says the figure is an estimate. */
  estimate?: string;
  span: Span;
}

/** `acc[i + 1]` or `pool`: one device. */
export interface Endpoint {
  name: Name;
  index?: Expression;
  span: Span;
}

/** `acc[*]`, `acc[0..15]`, `acc[3]`, `pool`, or a group. */
export interface Selector {
  name: Name;
  index?: { type: 'all' } | { type: 'one'; at: Expression } | { type: 'range'; from: Expression; to: Expression };
  span: Span;
}

export interface LoopHead {
  variable: Name;
  from: Expression;
  to: Expression;
}

export interface ImportDecl {
  type: 'import';
  path: string;
  pathSpan: Span;
  span: Span;
}

export interface ModelDecl {
  type: 'model';
  name: Name;
  base: Name;
  attributes: readonly Attribute[];
  doc?: string;
  span: Span;
}

/** `transformer NAME { … }`: a model's shape (FABRIC-LANGUAGE-2.md §13.1). */
export interface TransformerDecl {
  type: 'transformer';
  name: Name;
  attributes: readonly Attribute[];
  doc?: string;
  span: Span;
}

export interface SettingsDecl {
  type: 'settings';
  attributes: readonly Attribute[];
  span: Span;
}

export interface LetDecl {
  type: 'let';
  name: Name;
  value: Expression;
  doc?: string;
  span: Span;
}

export type DeviceKind = 'gpu' | 'cpu' | 'switch' | 'memory';

export interface DeviceDecl {
  type: 'device';
  kind: DeviceKind;
  name: Name;
  count?: Expression;
  model?: Name;
  attributes: readonly Attribute[];
  doc?: string;
  span: Span;
}

export interface LinkDecl {
  type: 'link';
  left: Endpoint;
  right: Endpoint;
  port: PortSpec;
  attributes: readonly Attribute[];
  doc?: string;
  span: Span;
}

export interface ForItems {
  type: 'for';
  head: LoopHead;
  items: Item[];
  span: Span;
}

export interface GroupDecl {
  type: 'group';
  name: Name;
  members: Selector[];
  doc?: string;
  span: Span;
}

export interface AllocateDecl {
  type: 'allocate';
  size: Quantity;
  memory: Endpoint;
  targets: Selector[];
  span: Span;
}

export interface WorkloadDecl {
  type: 'workload';
  name: Name;
  statements: Statement[];
  doc?: string;
  span: Span;
}

export type Comparison = '<' | '<=' | '>' | '>=' | '==';

export interface ExpectDecl {
  type: 'expect';
  metric: Name;
  subject: Selector[];
  target?: Selector[];
  comparison: Comparison;
  bound: Quantity;
  span: Span;
}

export type Item =
  | SettingsDecl
  | LetDecl
  | DeviceDecl
  | LinkDecl
  | ForItems
  | GroupDecl
  | AllocateDecl
  | WorkloadDecl
  | ExpectDecl
  | ModelDecl
  | TransformerDecl;

export type CollectiveOp = 'allreduce' | 'reducescatter' | 'allgather' | 'alltoall';

export type Statement =
  | { type: 'compute'; time: Quantity; span: Span }
  | { type: 'collective'; op: CollectiveOp; size: Quantity; ranks: Selector[]; algorithm?: Name; span: Span }
  | { type: 'broadcast'; size: Quantity; root: Endpoint; ranks: Selector[]; algorithm?: Name; span: Span }
  | { type: 'flow'; size: Quantity; source: Endpoint; target: Endpoint; span: Span }
  | { type: 'read' | 'write'; size: Quantity; device: Endpoint; by: Selector[]; span: Span }
  | { type: 'parallel'; statements: Statement[]; span: Span }
  | { type: 'for'; head: LoopHead; statements: Statement[]; span: Span }
  | TransformerStatement;

/** `train MODEL over SEL { … }` or `serve MODEL over SEL { … }`. */
export interface TransformerStatement {
  type: 'train' | 'serve';
  transformer: Name;
  ranks: Selector[];
  attributes: readonly Attribute[];
  span: Span;
}

export interface FabricDecl {
  type: 'fabric';
  name: Name;
  description?: string;
  items: Item[];
  doc?: string;
  span: Span;
}

export interface FileNode {
  imports: ImportDecl[];
  models: ModelDecl[];
  transformers: TransformerDecl[];
  fabrics: FabricDecl[];
  span: Span;
}
