/** The two guards of the page: escaping every string from the file, and the stylesheet's CSP hash. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { escapeHtml } from '../../server/src/report/escape.js';
import { renderReportPage, reportStylesheet } from '../../server/src/report/html.js';
import { layoutTopology } from '../../server/src/report/layout.js';
import { sha256Base64 } from '../../server/src/report/sha256.js';
import { reportOfText } from './support.js';

describe('report guards', () => {
  it('escapes the five characters that matter in HTML text and attributes', () => {
    assert.equal(escapeHtml(`<a href="x" title='y'>&amp;</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });

  it('hashes like node:crypto: empty, one block, many blocks, non-ASCII, the stylesheet itself', () => {
    for (const text of ['', 'abc', 'x'.repeat(55), 'x'.repeat(56), 'x'.repeat(64), 'µs → ≥ 95 % 🙂'.repeat(40), reportStylesheet]) {
      assert.equal(sha256Base64(text), createHash('sha256').update(text, 'utf8').digest('base64'), `length ${text.length}`);
    }
  });

  it('names the stylesheet by its hash in the page, and no other source', async () => {
    const data = reportOfText('fabric f "</style><script>alert(1)</script>" { gpu g[2]\n switch sx : scorpio_x\n for i in 0..1 { link g[i] <-> sx : pcie6 x16 } }');
    const page = renderReportPage([{ data, layout: await layoutTopology(data) }]);
    const hash = createHash('sha256').update(reportStylesheet, 'utf8').digest('base64');
    assert.ok(page.includes(`content="default-src &#39;none&#39;; style-src &#39;sha256-${hash}&#39;; img-src &#39;none&#39;; base-uri &#39;none&#39;; form-action &#39;none&#39;"`));
    assert.equal(page.match(/<style>/g)?.length, 1);
    assert.equal(page.match(/<\/style>/g)?.length, 1);
    assert.ok(!page.includes('<script'));
    assert.ok(page.includes('&lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt;'));
  });
});
