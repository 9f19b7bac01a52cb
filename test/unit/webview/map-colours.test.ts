import { test } from 'node:test';
import assert from 'node:assert/strict';
import { categoryColour, cssColour, fillShapes, NONE_COLOUR, PALETTE, shapeOf } from '../../../webview/map/colours';
import { contrast, rgbDifference, type Rgb } from '../../../webview/map/colour-difference';
import { assignSlots, slotsByValue, slotsOf } from '../../../webview/map/category-slots';

const DARK: Rgb = [31, 31, 31]; // Dark Modern editor background
const LIGHT: Rgb = [255, 255, 255]; // Light Modern editor background
const HC: Rgb = [0, 0, 0]; // Dark High Contrast

test('the palette has no near-duplicates: every pair differs by ΔE00 ≥ 15, and from the outlier grey', () => {
  assert.ok(PALETTE.length >= 13, 'at least 13 colours before the shapes change');
  for (let i = 0; i < PALETTE.length; i++) {
    assert.ok(rgbDifference(PALETTE[i], NONE_COLOUR) >= 15, `colour ${i} vs outlier grey`);
    for (let j = 0; j < i; j++) {
      const d = rgbDifference(PALETTE[i], PALETTE[j]);
      assert.ok(d >= 15, `colours ${j} and ${i} differ by only ΔE00 ${d.toFixed(1)}`);
    }
  }
});

test('every palette colour has 3:1 contrast on the dark, light and high-contrast backgrounds', () => {
  for (const [i, c] of PALETTE.entries()) {
    for (const [name, bg] of [['dark', DARK], ['light', LIGHT], ['high contrast', HC]] as const) {
      assert.ok(contrast(c, bg) >= 3, `colour ${i} on ${name}: ${contrast(c, bg).toFixed(2)}`);
    }
  }
});

test('beyond the palette the colours cycle and the shape changes per cycle', () => {
  const n = PALETTE.length;
  assert.deepEqual(categoryColour(n + 2), categoryColour(2));
  assert.equal(shapeOf(2), 'circle');
  assert.equal(shapeOf(n + 2), 'square');
  assert.equal(shapeOf(2 * n), 'triangle');
  assert.equal(shapeOf(3 * n + 1), 'diamond');
  assert.equal(shapeOf(-1), 'circle');
  assert.deepEqual([...fillShapes(new Uint8Array(3), [0, n, -1])], [0, 1, 0]);
  assert.equal(cssColour(-1), `rgb(${NONE_COLOUR.join(', ')})`);
});

test('label slots are stable: a new label (even sorted first, even bigger) leaves the others alone', () => {
  const first = assignSlots(['World', 'Sports', 'Business']);
  assert.deepEqual(first, { Business: 0, Sports: 1, World: 2 }, 'a fresh map: name order');
  const second = assignSlots(['Aardvark', 'Business', 'Sports', 'World'], first);
  assert.equal(second.Business, 0);
  assert.equal(second.Sports, 1);
  assert.equal(second.World, 2);
  assert.equal(second.Aardvark, 3);
  // A label that disappears keeps its slot, so it comes back in the same colour; its slot is not reused.
  const third = assignSlots(['Business', 'World', 'Zebra'], second);
  assert.equal(third.Sports, 1);
  assert.equal(third.Zebra, 4);
  // Invalid persisted entries are dropped, duplicates keep the first.
  assert.deepEqual(assignSlots(['a', 'b'], { a: -1, b: 1.5, c: 0, d: 0 }), { c: 0, a: 1, b: 2 });
});

test('slots per point follow the names, whatever their indices', () => {
  const table = assignSlots(['B', 'A']);
  const byValue = slotsByValue(['B', 'A'], table);
  assert.deepEqual([...byValue], [1, 0]);
  assert.deepEqual([...slotsOf([0, 1, -1, 1], byValue)], [1, 0, -1, 0]);
  assert.deepEqual([...slotsOf([3, -1])], [3, -1], 'identity without a table');
});
