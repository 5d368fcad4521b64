/**
 * Names inside one fabric: constants and loop variables for integer expressions, device arrays
 * and groups for endpoints and selectors. Integer arithmetic follows §3: `/` truncates toward
 * zero, `%` is floored.
 */
import type { Endpoint, Expression, GroupDecl, LetDecl, Name, Selector } from '../syntax/ast.js';
import type { Span } from '../syntax/source.js';
import type { FileReporter } from './attributes.js';
import type { Device, DeviceArray, Group } from './types.js';

interface ConstantEntry {
  decl: LetDecl;
  value?: number;
  state: 'pending' | 'evaluating' | 'done';
}

interface GroupEntry {
  decl: GroupDecl;
  group?: Group;
  resolving: boolean;
}

export class Scope {
  readonly constants = new Map<string, ConstantEntry>();
  readonly loopVariables = new Map<string, number>();
  readonly arrays = new Map<string, DeviceArray>();
  readonly groups = new Map<string, GroupEntry>();

  constructor(private readonly reporter: FileReporter) {}

  /** Evaluates an integer expression; reports and returns undefined when it cannot. */
  evaluate(expression: Expression): number | undefined {
    switch (expression.type) {
      case 'number':
        if (!Number.isInteger(expression.value)) {
          this.indexError(expression.span, `\`${expression.text}\` is not a whole number; counts, indices and loop bounds are integers`);
          return undefined;
        }
        return this.safe(expression.value, expression.span);
      case 'name':
        return this.lookupInteger(expression.name);
      case 'binary': {
        const left = this.evaluate(expression.left);
        const right = this.evaluate(expression.right);
        if (left === undefined || right === undefined) return undefined;
        switch (expression.operator) {
          case '+':
            return this.safe(left + right, expression.span);
          case '-':
            return this.safe(left - right, expression.span);
          case '*':
            return this.safe(left * right, expression.span);
          case '/':
          case '%':
            if (right === 0) {
              this.indexError(expression.right.span, `division by zero in \`${expression.operator}\``);
              return undefined;
            }
            return expression.operator === '/' ? Math.trunc(left / right) : left - right * Math.floor(left / right);
        }
      }
    }
  }

  private safe(value: number, span: Span): number | undefined {
    if (Number.isSafeInteger(value)) return value;
    this.reporter.sink.report({ file: this.reporter.file, span, code: 'limit', message: 'this integer is too large to compute exactly (over 2^53)' });
    return undefined;
  }

  private indexError(span: Span, message: string): void {
    this.reporter.sink.report({ file: this.reporter.file, span, code: 'index-range', message });
  }

  private lookupInteger(name: Name): number | undefined {
    const bound = this.loopVariables.get(name.text);
    if (bound !== undefined) return bound;
    const constant = this.constants.get(name.text);
    if (!constant) {
      this.reporter.unknownName(name.span, 'constant', name.text, [...this.constants.keys(), ...this.loopVariables.keys()]);
      return undefined;
    }
    if (constant.state === 'done') return constant.value;
    if (constant.state === 'evaluating') {
      this.reporter.sink.report({
        file: this.reporter.file,
        span: name.span,
        code: 'unknown-name',
        message: `the constant \`${name.text}\` is defined in terms of itself`,
      });
      return undefined;
    }
    constant.state = 'evaluating';
    // Constants see only constants, never the loop variables bound where they happen to be used.
    const saved = new Map(this.loopVariables);
    this.loopVariables.clear();
    constant.value = this.evaluate(constant.decl.value);
    for (const [key, value] of saved) this.loopVariables.set(key, value);
    constant.state = 'done';
    return constant.value;
  }

  /** One device: `acc[3]`, `pool`. */
  endpoint(endpoint: Endpoint): Device | undefined {
    const array = this.arrays.get(endpoint.name.text);
    if (!array) {
      const group = this.groups.get(endpoint.name.text);
      if (group) {
        this.indexError(endpoint.name.span, `\`${endpoint.name.text}\` is a group; name one device here, such as \`${this.group(endpoint.name.text)?.devices[0]?.name ?? 'acc[0]'}\``);
        return undefined;
      }
      this.reporter.unknownName(endpoint.name.span, 'device', endpoint.name.text, this.arrays.keys());
      return undefined;
    }
    if (array.truncated) return undefined;
    if (array.count === undefined) {
      if (endpoint.index) {
        this.indexError(endpoint.index.span, `\`${array.name}\` is a single device, not an array; drop the index`);
        return undefined;
      }
      return array.devices[0];
    }
    if (!endpoint.index) {
      this.indexError(endpoint.span, `\`${array.name}\` is an array of ${array.count}; name one device, such as \`${array.name}[0]\``);
      return undefined;
    }
    const index = this.evaluate(endpoint.index);
    if (index === undefined) return undefined;
    return this.element(array, index, endpoint.index.span);
  }

  private element(array: DeviceArray, index: number, span: Span): Device | undefined {
    if (array.truncated) return undefined;
    if (index >= 0 && index < (array.count ?? 1)) return array.devices[index];
    this.reporter.sink.report({
      file: this.reporter.file,
      span,
      code: 'index-range',
      subject: `${array.name}[${index}]`,
      message: (subject) => `${subject}: outside ${array.name}[0..${(array.count ?? 1) - 1}]`,
    });
    return undefined;
  }

  /** Devices named by a selector list, in order; a device named twice is dropped with a warning. */
  select(selectors: Selector[]): Device[] {
    const devices: Device[] = [];
    const seen = new Set<number>();
    for (const selector of selectors) {
      for (const device of this.selectOne(selector)) {
        if (seen.has(device.id)) {
          this.reporter.sink.report({
            file: this.reporter.file,
            span: selector.span,
            code: 'duplicate-member',
            subject: device.name,
            message: (subject) => `${subject} already named earlier in this list; the repeat is dropped`,
          });
          continue;
        }
        seen.add(device.id);
        devices.push(device);
      }
    }
    return devices;
  }

  private selectOne(selector: Selector): Device[] {
    const name = selector.name.text;
    const array = this.arrays.get(name);
    const members = array ? array.devices : this.group(name)?.devices;
    if (!members) {
      if (!this.groups.has(name)) this.reporter.unknownName(selector.name.span, 'device or group', name, [...this.arrays.keys(), ...this.groups.keys()]);
      return [];
    }
    const size = array ? (array.count ?? 1) : members.length;
    const index = selector.index;
    if (!index || index.type === 'all') return members;
    if (array && array.count === undefined) {
      this.indexError(selector.span, `\`${name}\` is a single device, not an array; drop the index`);
      return [];
    }
    const pick = (at: number, span: Span): Device | undefined => {
      if (array) return this.element(array, at, span);
      if (at >= 0 && at < size) return members[at];
      this.indexError(span, `${name}[${at}]: outside the group's members ${name}[0..${size - 1}]`);
      return undefined;
    };
    if (index.type === 'one') {
      const at = this.evaluate(index.at);
      const device = at === undefined ? undefined : pick(at, index.at.span);
      return device ? [device] : [];
    }
    const from = this.evaluate(index.from);
    const to = this.evaluate(index.to);
    if (from === undefined || to === undefined) return [];
    if (!pick(from, index.from.span) || !pick(to, index.to.span)) return [];
    const step = from <= to ? 1 : -1;
    const devices: Device[] = [];
    for (let at = from; at !== to + step; at += step) devices.push(members[at]);
    return devices;
  }

  /** A group, resolved on first use; a group that includes itself loses that member. */
  group(name: string): Group | undefined {
    const entry = this.groups.get(name);
    if (!entry) return undefined;
    if (entry.group) return entry.group;
    if (entry.resolving) {
      this.reporter.sink.report({
        file: this.reporter.file,
        span: entry.decl.name.span,
        code: 'duplicate-member',
        message: `the group \`${name}\` includes itself; that member is dropped`,
      });
      return { name, devices: [], origin: { file: this.reporter.file, span: entry.decl.span } };
    }
    entry.resolving = true;
    const devices = this.select(entry.decl.members);
    entry.resolving = false;
    entry.group = { name, devices, origin: { file: this.reporter.file, span: entry.decl.name.span } };
    return entry.group;
  }
}
