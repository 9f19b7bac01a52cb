import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readGuidelines, ensureGuidelines, MAX_GUIDELINES_CHARS } from '../../../src/engine/project/guidelines';

test('guidelines.md is read as text (BOM and CRLF removed); a project without one has none', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'embedlab-guidelines-'));
  try {
    assert.equal(await readGuidelines(dir), undefined);
    writeFileSync(path.join(dir, 'guidelines.md'), '\ufeff# Consignes\r\n\r\nNotez **l’événement**, pas le thème.<script>x</script>\r\n');
    assert.deepEqual(await readGuidelines(dir), { file: 'guidelines.md', text: '# Consignes\n\nNotez **l’événement**, pas le thème.<script>x</script>\n', truncated: false });
    writeFileSync(path.join(dir, 'guidelines.md'), 'é'.repeat(MAX_GUIDELINES_CHARS + 10));
    const long = await readGuidelines(dir);
    assert.equal(long?.truncated, true);
    assert.equal(long?.text.length, MAX_GUIDELINES_CHARS);
    writeFileSync(path.join(dir, 'guidelines.md'), 'PK\u0000\u0003');
    await assert.rejects(readGuidelines(dir), /guidelines\.md.*not a text file/);
    rmSync(path.join(dir, 'guidelines.md'));
    mkdirSync(path.join(dir, 'guidelines.md'));
    await assert.rejects(readGuidelines(dir), /guidelines\.md.*not a folder/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a first guidelines.md is made from the rubric, and never over an existing one', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'embedlab-guidelines-'));
  try {
    const file = await ensureGuidelines(dir, [{ score: 0, label: 'sans rapport' }, { score: 1, label: 'même événement', description: 'la même crue' }]);
    assert.equal(file, path.join(dir, 'guidelines.md'));
    const text = (await readGuidelines(dir))!.text;
    assert.match(text, /^# Annotation guidelines/);
    assert.match(text, /keys 1–2/);
    assert.match(text, /- \*\*1\*\* même événement: la même crue/);
    writeFileSync(file, '# Nos consignes\n');
    await ensureGuidelines(dir, []);
    assert.equal((await readGuidelines(dir))!.text, '# Nos consignes\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
