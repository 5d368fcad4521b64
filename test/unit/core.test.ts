/** Catalog, error recovery, limits and imports through the pure core. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catalog } from '../../server/src/model/check.js';
import { check, codes, render } from '../support/check.js';

describe('built-in catalog', () => {
  it('parses and resolves with no diagnostics', () => {
    assert.deepEqual(catalog().problems, []);
    assert.deepEqual(render(check('fabric empty { }')), []);
  });

  it('gives every figure a source or the word estimate on its line', () => {
    const text = catalog().source.text;
    const figureLines = text.split('\n').filter((line) => /^\s+[a-z_]+:\s*[^[\s]|^\s+[a-z0-9]+,\s/.test(line));
    assert.ok(figureLines.length >= 25, `found only ${figureLines.length} figure lines`);
    for (const line of figureLines) {
      const comment = /\/\/\s*(.+)$/.exec(line)?.[1];
      assert.ok(comment && comment.length > 8, `no source comment: ${line.trim()}`);
    }
  });

  it('has the models and figures of §4', () => {
    const fabric = check('fabric f { }').fabric!;
    const spec = (name: string) => fabric.models.get(name)!.spec;
    assert.equal(spec('scorpio_x').lanes?.value, 320);
    assert.equal(spec('scorpio_p').lanes?.value, 64);
    assert.equal(spec('pcie5_switch').lanes?.value, 144);
    assert.equal(spec('ualink_switch').lanes?.value, 128);
    assert.equal(spec('nvlink_switch').lanes?.value, 144);
    assert.equal(spec('nvlink_switch').inc_style?.value, 'pull');
    assert.equal(spec('scorpio_x').inc_style?.value, 'push');
    assert.equal(spec('cxl_expander').capacity?.value, 512 * 2 ** 30);
    assert.equal(spec('cxl_expander').bandwidth?.value, 64e9);
    assert.deepEqual(spec('gpu_nvlink').ports?.value, [{ protocol: 'nvlink', width: 2, count: 18 }, { protocol: 'pcie6', width: 16, count: 1 }]);
    assert.deepEqual(spec('cpu').ports?.value, [{ protocol: 'pcie6', width: 16, count: 8 }, { protocol: 'cxl', width: 16, count: 4 }]);
    assert.equal(fabric.models.get('gpu')!.kind, 'gpu');
  });
});

describe('error recovery', () => {
  it('reports every mistake and keeps a usable tree', () => {
    const result = check(`fabric f {
      gpu a[2] : gpu_ualink
      switch sx
      link a[0] <-> sx ualink x4
      link a[1] <-> sx : ualink x4
      gpu 3bad
      workload w { allreduce 1 GiB over a[*] using }
      workload v { compute 1 ms }
      expect time v < 1 s
    }`);
    // `gpu 3bad` recovers by dropping `3`: the device `bad` exists, and has no links.
    assert.deepEqual(codes(result), ['syntax', 'unused-device', 'syntax', 'syntax']);
    const fabric = result.fabric!;
    // The missing `:` is recovered by insertion, so that link is still understood.
    assert.deepEqual(fabric.links.map((l) => l.name), ['a[0] <-> sx', 'a[1] <-> sx']);
    assert.ok(fabric.workloads.has('v'));
    assert.equal(fabric.expectations.length, 1);
  });

  it('never crashes on half-written text', () => {
    const text = 'fabric f { gpu a[4] : gpu_ualink switch s for i in 0..3 { link a[i] <-> s : ualink x4 { length: 1 m } } workload w { parallel { flow 1 GiB a[0] -> a[1] } } expect latency a[0] -> a[1] < 1 us }';
    for (let end = 0; end <= text.length; end++) {
      const result = check(text.slice(0, end));
      assert.ok(Array.isArray(result.diagnostics));
    }
  });
});

describe('limits', () => {
  it('stops at the device limit', () => {
    assert.deepEqual(codes(check('fabric f { gpu g[11] }', {}, { maxDevices: 10 })), ['limit']);
  });

  it('stops at the link limit', () => {
    const result = check('fabric f { gpu g switch s for i in 0..9 { link g <-> s : pcie6 x1 } }', {}, { maxLinks: 3 });
    assert.ok(codes(result).includes('limit'));
    assert.equal(result.fabric!.links.length, 3);
  });

  it('stops at the loop-iteration limit, nested loops included', () => {
    const result = check('fabric f { for i in 0..9 { for j in 0..9 { } } }', {}, { maxLoopIterations: 50 });
    assert.deepEqual(codes(result), ['limit']);
  });

  it('refuses a file over the size limit', () => {
    const result = check(`fabric f { }${' '.repeat(100)}`, {}, { maxFileSize: 50 });
    assert.deepEqual(codes(result), ['limit']);
  });

  for (const [what, open, close] of [
    ['loops', 'for i in 0..1 { ', '}'],
    ['parallel blocks', 'parallel { ', '}'],
    ['parentheses', '(', ')'],
  ] as const) {
    it(`reports 1,000-deep ${what} as a limit, not a stack overflow`, () => {
      const body = `${open.repeat(1000)}${what === 'parentheses' ? '1' : ''}${close.repeat(1000)}`;
      const text = what === 'parentheses' ? `fabric f { let X = ${body} }` : what === 'loops' ? `fabric f { ${body} }` : `fabric f { workload w { ${body} } }`;
      assert.deepEqual(codes(check(text)), ['limit']);
    });
  }

  it('stops at the import-depth limit', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 10; i++) files[`/work/m${i}.fabric`] = `import "m${i + 1}.fabric"\nmodel m${i} : gpu`;
    files['/work/m10.fabric'] = 'model m10 : gpu';
    const result = check('import "m0.fabric"\nfabric f { gpu g : m9 }', files, { maxImportDepth: 4 });
    assert.ok(codes(result).includes('limit'));
  });
});

describe('imports', () => {
  it('resolves models from imported files relative to the importer', () => {
    const result = check('import "lib/a.fabric"\nfabric f { gpu g : from_b switch s link g <-> s : pcie6 x16 }', {
      '/work/lib/a.fabric': 'import "../shared/b.fabric"',
      '/work/shared/b.fabric': '/// From b.\nmodel from_b : gpu { memory: 1 TiB }',
    });
    assert.deepEqual(render(result), []);
    assert.equal(result.fabric!.arrays.get('g')!.spec.memory?.value, 2 ** 40);
    assert.equal(result.fabric!.models.get('from_b')!.doc, 'From b.');
  });

  it('names the imported file in its diagnostics', () => {
    const result = check('import "a.fabric"\nfabric f { }', { '/work/a.fabric': 'model broken : gpu { ports: [pcie6 x3] }' });
    assert.deepEqual(render(result), ['/work/a.fabric:1:36 error[lane-width] pcie6 does not allow x3; its widths are x1, x2, x4, x8, x16']);
  });
});
