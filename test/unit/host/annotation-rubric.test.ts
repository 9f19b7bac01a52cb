import { test } from 'node:test';
import assert from 'node:assert/strict';
import { panelRubric } from '../../../src/host/sources/project-annotation-source';
import { DEFAULT_RUBRIC as PROJECT_RUBRIC } from '../../../src/engine/project/schema';
import { DEFAULT_RUBRIC as PANEL_RUBRIC } from '../../../src/protocol/annotate';

test("a new project's rubric shows the panel's short labels with their descriptions", () => {
  assert.deepEqual(panelRubric(PROJECT_RUBRIC), PANEL_RUBRIC.map((a) => ({ ...a })));
  assert.deepEqual(panelRubric(PROJECT_RUBRIC).map((a) => a.label), ['Unrelated', 'Broad topic', 'Topic or country', 'Topic and country', 'Same event']);
});

test('an edited anchor shows the project\'s own text', () => {
  const edited = PROJECT_RUBRIC.map((r) => (r.score === 0.5 ? { score: 0.5, label: 'same sector' } : r));
  const r = panelRubric(edited);
  assert.deepEqual(r[2], { score: 0.5, label: 'same sector', description: '' });
  assert.equal(r[1].label, 'Broad topic');
});

test("a project's own description (project.json rubric[i].description) is shown under the label", () => {
  const r = panelRubric([{ score: 0, label: 'autre', description: 'Rien en commun.' }, { score: 1, label: 'same event or very narrow topic', description: 'Le même fait divers.' }]);
  assert.deepEqual(r, [
    { score: 0, label: 'autre', description: 'Rien en commun.' },
    { score: 1, label: 'Same event', description: 'Le même fait divers.' },
  ]);
});
