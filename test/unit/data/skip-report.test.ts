// The shape every command reports skipped rows in (import's), and the line the Fine-tune
// notification shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SkipTally, describeSkips, skipReportOf, strictSkipError } from '../../../src/engine/data/skip-report';
import { skipLines } from '../../../src/cli/skip-lines';

test('a skip report counts all rows, by reason kind, and lists the first few', () => {
  const tally = new SkipTally(2);
  tally.add({ line: 3, reason: 'invalid JSON (Unexpected end)' });
  tally.add({ line: 5, reason: 'no value for the label "topic"', field: 'topic' });
  tally.add({ line: 9, reason: 'invalid JSON (Unexpected token)' });
  const r = tally.result();
  assert.equal(r.skipped, 3);
  assert.deepEqual(r.skippedByReason, { 'invalid JSON': 2, 'no value for the label "…"': 1 });
  assert.deepEqual(r.skippedRows.map((s) => s.line), [3, 5]);
  assert.equal(describeSkips(r), '3 rows skipped (first: line 3: invalid JSON (Unexpected end))');
  assert.equal(describeSkips(skipReportOf([])), '');
  assert.deepEqual(skipLines('d.jsonl', r, 1), [
    'skipped 3 rows of d.jsonl:',
    '  2 × invalid JSON',
    '  1 × no value for the label "…"',
    '  d.jsonl:3: invalid JSON (Unexpected end)',
    '  … (--json lists the first 2)',
  ]);
  assert.deepEqual(skipLines('d.jsonl', skipReportOf([])), []);
  assert.match(strictSkipError('d.jsonl', r.skippedRows[1]).message, /^d\.jsonl:5, field "topic": no value for the label "topic" \(--strict/);
});
