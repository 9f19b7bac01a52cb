import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedTerms, termKey } from '../../../src/engine/annotate/shared-terms';

const marked = (text: string, flat: number[]) => {
  const out: string[] = [];
  for (let k = 0; k < flat.length; k += 2) out.push(text.slice(flat[k], flat[k + 1]));
  return out;
};

test('shared content words are marked in both texts; stop words and short words are not', () => {
  const left = [{ name: 'title', value: 'Floods hit the north of Italy' }, { name: 'summary', value: 'Rivers burst in the north; the floods forced thousands out.' }];
  const right = [{ name: 'text', value: 'Rescue teams reach the flooded north of Italy after the floods' }];
  const s = sharedTerms(left, right);
  assert.deepEqual(new Set(s.terms), new Set(['floods', 'north', 'italy']));
  assert.deepEqual(marked(left[0].value, s.left[0]), ['Floods', 'north', 'Italy']);
  assert.deepEqual(marked(left[1].value, s.left[1]), ['north', 'floods']);
  assert.deepEqual(marked(right[0].value, s.right[0]), ['north', 'Italy', 'floods']);
  // "the", "of" are stop words on both sides; "flooded" is another word
  assert.ok(!s.terms.includes('the') && !s.terms.includes('flooded'));
});

test('French: accents, capitals, elisions and decomposed characters match; French stop words are left out', () => {
  const composed = "L'inondation a touché la région : les secours de la Région évacuent l'école.";
  const decomposed = 'Une ECOLE fermée après l’inondation ; la re\u0301gion demande des secours et une aide de l’État.';
  const s = sharedTerms([{ name: 'text', value: composed }], [{ name: 'text', value: decomposed }]);
  assert.deepEqual(new Set(s.terms), new Set(['inondation', 'région', 'secours', 'école']));
  assert.deepEqual(marked(composed, s.left[0]), ['inondation', 'région', 'secours', 'Région', 'école']);
  assert.deepEqual(marked(decomposed, s.right[0]), ['ECOLE', 'inondation', 're\u0301gion', 'secours']);
  assert.equal(termKey('Élection'), termKey('election'));
  // "les", "des", "une", "après" (French stop words) and "la" (short) are never shared terms
  for (const w of ['les', 'des', 'une', 'après', 'la', 'de']) assert.ok(!s.terms.includes(w), w);
});

test('numbers: years are content, one- and two-digit numbers are not; long texts keep every span', () => {
  const s = sharedTerms([{ name: 't', value: 'le 3 juillet 1869, 12 morts' }], [{ name: 't', value: 'depuis juillet 1869 : 12 blessés, 3 morts' }]);
  assert.deepEqual(new Set(s.terms), new Set(['juillet', '1869', 'morts']));
  const long = 'Le conseil municipal de Rouen examine le budget des écoles. '.repeat(200);
  const r = sharedTerms([{ name: 't', value: long }], [{ name: 't', value: 'Rouen : le budget des écoles' }]);
  assert.equal(r.left[0].length / 2, 3 * 200);
  assert.deepEqual(marked(long, r.left[0]).slice(-3), ['Rouen', 'budget', 'écoles']);
});

test('no shared word: empty spans, one list per field', () => {
  const s = sharedTerms([{ name: 'a', value: 'football league' }, { name: 'b', value: '' }], [{ name: 'c', value: 'oil market' }]);
  assert.deepEqual(s, { terms: [], left: [[], []], right: [[]] });
});
