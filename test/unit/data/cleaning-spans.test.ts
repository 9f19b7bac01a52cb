// The spans a cleaning rule removed and inserted, checked against spans computed by hand,
// and the excerpts the Clean Data panel highlights (offsets are JS string offsets).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffOps, diffTexts, spansOf } from '../../../src/engine/data/cleaning/text-diff';
import { excerptDiff, GAP } from '../../../src/engine/data/cleaning/diff-excerpt';
import { previewCleaning } from '../../../src/engine/data/cleaning/apply';

/** Rebuilds `after` from `before` and the spans: removed spans out, inserted text in, in order. */
function rebuild(before: string, after: string, removed: [number, number][], inserted: [number, number][]): string {
  let kept = '';
  let at = 0;
  for (const [s, e] of removed) {
    kept += before.slice(at, s);
    at = e;
  }
  kept += before.slice(at);
  let withoutInserted = '';
  at = 0;
  for (const [s, e] of inserted) {
    withoutInserted += after.slice(at, s);
    at = e;
  }
  withoutInserted += after.slice(at);
  return kept === withoutInserted ? after : `mismatch: ${kept} | ${withoutInserted}`;
}

test('a date cut inside a sentence: one removed span', () => {
  const before = 'le 3 juillet 1869, sur sa première page';
  const after = 'le, sur sa première page';
  // " 3 juillet 1869" starts after "le" (offset 2) and is 15 characters long.
  assert.deepEqual(diffTexts(before, after), { removed: [[2, 17]], inserted: [] });
});

test('a word kept between two cuts stays kept: "de 8 heures à 23 heures" → "de à"', () => {
  const before = 'de 8 heures à 23 heures.';
  // " 8 heures" is [2, 11); " à" stays at [11, 13); " 23 heures" is [13, 23).
  assert.deepEqual(diffTexts(before, 'de à.'), { removed: [[2, 11], [13, 23]], inserted: [] });
});

test('dates boilerplate at the start and a byline at the end: two spans', async () => {
  const text = 'Publié le 3 mars 2024 à 14h30. Le conseil a voté le budget.\nPar Jean Dupont';
  const report = await previewCleaning([{ id: 'a', text }], [{ rule: 'dates' }], { examples: 5, exampleChars: 1000 });
  const ex = report.rules[0].examples[0];
  assert.equal(ex.after, 'Le conseil a voté le budget.');
  // "Publié le 3 mars 2024 à 14h30. " is 31 characters; the byline starts at the "\n" (59).
  assert.deepEqual(ex.removed, [[0, 31], [59, 75]]);
  assert.deepEqual(ex.inserted, []);
  assert.equal(ex.before.slice(0, 31), 'Publié le 3 mars 2024 à 14h30. ');
  assert.equal(ex.before.slice(59), '\nPar Jean Dupont');
});

test('emoji and other surrogate pairs: offsets in UTF-16 units, never splitting a pair', () => {
  const before = 'Merci 🙏 pour tout 👍🏽 à bientôt';
  const after = 'Merci pour tout à bientôt';
  const d = diffTexts(before, after);
  // "🙏" is 2 code units: " 🙏" = [5, 8); " pour tout" ends at 18; " 👍🏽" = [18, 23) (👍 and 🏽 are two units each).
  assert.deepEqual(d, { removed: [[5, 8], [18, 23]], inserted: [] });
  assert.equal(before.slice(18, 23), ' 👍🏽');
  // A changed emoji: the whole pair goes and the whole new pair comes, never half of one.
  const r = diffTexts('a😀b', 'a😃b');
  assert.deepEqual(r, { removed: [[1, 3]], inserted: [[1, 3]] });
});

test('a replacement gives a removed span and an inserted span; whitespace normalisation too', () => {
  // "Tél. : " is 7 characters: the number is [7, 21) of before, "[tel]" is [7, 12) of after.
  assert.deepEqual(diffTexts('Tél. : 01 23 45 67 89 !', 'Tél. : [tel] !'), { removed: [[7, 21]], inserted: [[7, 12]] });
  // A non-breaking space made plain: the NBSP (offset 1) goes, a space comes at 1.
  assert.deepEqual(diffTexts('a\u00a0b', 'a b'), { removed: [[1, 2]], inserted: [[1, 2]] });
  // "  " collapsed to " ": one space goes (the left one, at 3).
  assert.deepEqual(diffTexts('a b  c', 'a b c'), { removed: [[3, 4]], inserted: [] });
  const d = diffTexts('a\u00a0b  c', 'a b c');
  assert.equal(rebuild('a\u00a0b  c', 'a b c', d.removed, d.inserted), 'a b c');
});

test('the edit script always rebuilds both texts (random edits)', () => {
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const alphabet = ['a', 'b', ' ', 'é', '😀', 'x', '\n'];
  for (let n = 0; n < 200; n++) {
    const len = Math.floor(rnd() * 30);
    const a = Array.from({ length: len }, () => alphabet[Math.floor(rnd() * alphabet.length)]);
    const b = a.filter(() => rnd() > 0.3);
    if (rnd() > 0.5) b.splice(Math.floor(rnd() * (b.length + 1)), 0, 'Z😃');
    const before = a.join('');
    const after = b.join('');
    const ops = diffOps(before, after);
    assert.equal(ops.filter((o) => o.kind !== 'inserted').map((o) => o.text).join(''), before);
    assert.equal(ops.filter((o) => o.kind !== 'removed').map((o) => o.text).join(''), after);
    const d = spansOf(ops);
    assert.equal(rebuild(before, after, d.removed, d.inserted), after);
  }
});

test('past maxEdits the diff falls back to one span each for the differing middle', () => {
  assert.deepEqual(diffTexts('xx abcdef yy', 'xx ghijkl yy', 2), { removed: [[3, 9]], inserted: [[3, 9]] });
});

test('excerpts keep context around each change and mark the gaps; spans stay on the right text', () => {
  const long = 'mot '.repeat(200); // 800 characters of unchanged text
  const before = `Publié le 3 mars 2024. ${long}fin.\nPar Jean Dupont`;
  const after = `${long}fin.`;
  const ex = excerptDiff(diffOps(before, after), 300, 40);
  assert.ok(ex.before.length < 200, `excerpt too long: ${ex.before.length}`);
  assert.deepEqual(ex.removed.map(([s, e]) => ex.before.slice(s, e)), ['Publié le 3 mars 2024. ', '\nPar Jean Dupont']);
  assert.equal(ex.beforeGaps.length, 1);
  assert.equal(ex.before.slice(...ex.beforeGaps[0]), GAP);
  assert.equal(ex.after.slice(...ex.afterGaps[0]), GAP);
  assert.deepEqual(ex.inserted, []);
  // Short texts stay whole.
  const short = excerptDiff(diffOps('a b c', 'a c'), 300, 40);
  assert.deepEqual(short, { before: 'a b c', after: 'a c', removed: [[1, 3]], inserted: [], beforeGaps: [], afterGaps: [] });
});

test('an excerpt never cuts an emoji in two', () => {
  const emojis = '😀'.repeat(100);
  const ex = excerptDiff(diffOps(`X${emojis}`, emojis), 50, 11);
  assert.doesNotMatch(ex.before, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  assert.deepEqual(ex.removed, [[0, 1]]);
});

test('measured-only rules count without changing what later rules see', async () => {
  const recs = [
    { id: '1', text: 'Publié le 3 mars 2024. Un texte assez long ici.' },
    { id: '2', text: 'Un texte assez long ici.' },
  ];
  const rules = [{ rule: 'dates' }, { rule: 'dedupe-exact' }];
  const measured = await previewCleaning(recs, rules, { measureOnly: [true, false] });
  assert.deepEqual(measured.rules.map((r) => [r.rule, r.changed, r.removed, r.measured ?? false]), [['dates', 1, 0, true], ['dedupe-exact', 0, 0, false]]);
  assert.equal(measured.output, 2);
  const applied = await previewCleaning(recs, rules);
  assert.deepEqual(applied.rules.map((r) => [r.rule, r.changed, r.removed]), [['dates', 1, 0], ['dedupe-exact', 0, 1]]);
  assert.equal(applied.output, 1);
  const offDedupe = await previewCleaning(recs, rules, { measureOnly: [false, true] });
  assert.deepEqual(offDedupe.rules.map((r) => [r.rule, r.removed]), [['dates', 0], ['dedupe-exact', 1]]);
  assert.equal(offDedupe.output, 2);
  assert.deepEqual(offDedupe.removed, []);
});
