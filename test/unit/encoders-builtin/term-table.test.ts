// The TF-IDF vocabulary table: lookups by a range of a string, equal to a Map<string> over the
// substrings, through growth and hash-slot collisions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TermTable } from '../../../src/engine/encoders/builtin/term-table';
import { orthonormalize, orthonormalizeScalar } from '../../../src/engine/encoders/builtin/dense';
import { createRng } from '../../../src/engine/util/random';

test('TermTable agrees with a Map over substrings (ids in first-seen order), through growth', () => {
  const table = new TermTable(4);
  const map = new Map<string, number>();
  const rng = createRng(3);
  const alphabet = 'abcdéf ';
  for (let t = 0; t < 20000; t++) {
    const len = 1 + Math.floor(rng() * 6);
    let padded = ' ';
    for (let i = 0; i < len; i++) padded += alphabet[Math.floor(rng() * alphabet.length)];
    padded += ' ';
    const start = Math.floor(rng() * (padded.length - 1));
    const end = start + 1 + Math.floor(rng() * (padded.length - start));
    const term = padded.slice(start, end);
    if (!map.has(term)) map.set(term, map.size);
    assert.equal(table.intern(padded, start, end), map.get(term));
  }
  assert.equal(table.size, map.size);
  for (const [term, id] of map) {
    assert.equal(table.idOf(`x${term}y`, 1, term.length + 1), id);
    assert.equal(table.terms[id], term);
  }
  assert.equal(table.idOf('not-in-it'), -1);
});

test('orthonormalize (SIMD product) gives orthonormal columns spanning the same space as the scalar one', () => {
  const n = 300;
  const l = 12;
  const rng = createRng(5);
  const y = Float32Array.from({ length: n * l }, () => rng() - 0.5);
  const a = y.slice();
  const b = y.slice();
  orthonormalize(a, n, l);
  orthonormalizeScalar(b, n, l);
  for (let p = 0; p < l; p++)
    for (let q = 0; q < l; q++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += a[i * l + p] * a[i * l + q];
      assert.ok(Math.abs(s - (p === q ? 1 : 0)) < 1e-5, `column ${p}·${q} = ${s}`);
    }
  // Cholesky QR keeps the column order: the same Q up to rounding.
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs(a[i] - b[i]));
  assert.ok(diff < 1e-5, `max difference ${diff}`);
});
