import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMarkdown, parseInline } from '../../../webview/annotate/markdown';
import { sharedSegments } from '../../../webview/annotate/highlight';
import { actionForKey } from '../../../webview/annotate/keys';

test('guidelines: headings, paragraphs, lists, quotes, code and rules', () => {
  const blocks = parseMarkdown([
    '# Consignes d’annotation',
    '',
    'Notez la **proximité** des deux articles,',
    'pas leur *qualité*.',
    '',
    '- 1 : même _événement_',
    '- 0,75 : même sujet',
    '  et même pays',
    '1. lire les deux titres',
    '2) puis les résumés',
    '> En cas de doute, passez (S).',
    '---',
    '```',
    '<b>pas du HTML</b>',
    '```',
  ].join('\n'));
  assert.deepEqual(blocks.map((b) => b.kind), ['heading', 'paragraph', 'list', 'list', 'quote', 'rule', 'code']);
  assert.deepEqual(blocks[0], { kind: 'heading', level: 1, inlines: [{ kind: 'text', text: 'Consignes d’annotation' }] });
  assert.deepEqual(blocks[1], { kind: 'paragraph', inlines: [
    { kind: 'text', text: 'Notez la ' }, { kind: 'strong', text: 'proximité' }, { kind: 'text', text: ' des deux articles, pas leur ' }, { kind: 'em', text: 'qualité' }, { kind: 'text', text: '.' },
  ] });
  const bullets = blocks[2] as { ordered: boolean; items: unknown[][] };
  assert.equal(bullets.ordered, false);
  assert.deepEqual(bullets.items[1], [{ kind: 'text', text: '0,75 : même sujet et même pays' }]);
  assert.equal((blocks[3] as { ordered: boolean }).ordered, true);
  assert.deepEqual(blocks[6], { kind: 'code', text: '<b>pas du HTML</b>' });
});

test('inline: raw HTML stays text, links keep their address apart, snake_case is not emphasis', () => {
  assert.deepEqual(parseInline('<img src=x onerror=alert(1)> et <script>'), [{ kind: 'text', text: '<img src=x onerror=alert(1)> et <script>' }]);
  assert.deepEqual(parseInline('voir [le guide](https://example.org/g) ou `score_min`'), [
    { kind: 'text', text: 'voir ' }, { kind: 'link', text: 'le guide', href: 'https://example.org/g' }, { kind: 'text', text: ' ou ' }, { kind: 'code', text: 'score_min' },
  ]);
  assert.deepEqual(parseInline('champ score_min_pair ici'), [{ kind: 'text', text: 'champ score_min_pair ici' }]);
});

test('shared-word segments join back to the text; bad spans are dropped', () => {
  const v = 'Les secours évacuent la région';
  const segs = sharedSegments(v, [4, 11, 24, 30]);
  assert.deepEqual(segs, [
    { text: 'Les ', shared: false }, { text: 'secours', shared: true }, { text: ' évacuent la ', shared: false }, { text: 'région', shared: true },
  ]);
  for (const bad of [[5, 3], [0, 99], [4, 11, 6, 9], [-1, 2], [1.5, 3]]) assert.equal(sharedSegments(v, bad).map((s) => s.text).join(''), v);
  assert.deepEqual(sharedSegments('', undefined), [{ text: '', shared: false }]);
});

test('keys g, r, h and Escape', () => {
  assert.deepEqual(actionForKey({ key: 'g' }), { type: 'guidelines' });
  assert.deepEqual(actionForKey({ key: 'R' }), { type: 'review' });
  assert.deepEqual(actionForKey({ key: 'h' }), { type: 'highlight' });
  assert.deepEqual(actionForKey({ key: 'Escape' }), { type: 'escape' });
  assert.equal(actionForKey({ key: 'r', inEditable: true }), undefined);
});
