/**
 * The project's guidelines (guidelines.md), shown above the pair on request (G): the safe
 * Markdown subset of `markdown.ts` turned into DOM nodes, text always through textContent.
 */
import type { GuidelinesView, ProjectFileKind } from '../../src/protocol/annotate';
import { ce, h } from '../common/dom';
import { parseMarkdown, type Block, type Inline } from './markdown';

function inlineNodes(inlines: Inline[]): Node[] {
  return inlines.map((i) => {
    switch (i.kind) {
      case 'text': return document.createTextNode(i.text);
      case 'strong': return h('strong', { text: i.text });
      case 'em': return h('em', { text: i.text });
      case 'code': return h('code', { text: i.text });
      case 'link': return h('span', { className: 'md-link', text: i.text, attrs: { title: i.href } });
    }
  });
}

function blockNode(b: Block): HTMLElement {
  switch (b.kind) {
    case 'heading': return h(`h${Math.min(6, b.level + 2)}` as 'h3', { className: 'md-heading' }, ...inlineNodes(b.inlines));
    case 'paragraph': return h('p', {}, ...inlineNodes(b.inlines));
    case 'quote': return h('blockquote', {}, ...inlineNodes(b.inlines));
    case 'code': return h('pre', {}, h('code', { text: b.text }));
    case 'rule': return h('hr');
    case 'list': return h(b.ordered ? 'ol' : 'ul', {}, ...b.items.map((item) => h('li', {}, ...inlineNodes(item))));
  }
}

/** Fills `el` with the guidelines, or says there are none; `open` opens a project file in an editor. */
export function renderGuidelines(el: HTMLElement, g: GuidelinesView | undefined, open: (file: ProjectFileKind) => void): void {
  el.textContent = '';
  const editGuidelines = ce('vscode-button', { id: 'edit-guidelines', secondary: '', title: 'Open guidelines.md in an editor; this view follows your saves' }, g ? 'Edit guidelines.md' : 'Create guidelines.md');
  const editRubric = ce('vscode-button', { id: 'edit-rubric', secondary: '', title: 'The rubric is project.json\u2019s "rubric": score, label, description' }, 'Edit rubric (project.json)');
  editGuidelines.addEventListener('click', () => open('guidelines'));
  editRubric.addEventListener('click', () => open('rubric'));
  el.append(h('div', { className: 'toolbar guidelines-bar' }, h('span', { className: 'guidelines-file', text: g?.file ?? 'guidelines.md' }), editGuidelines, editRubric));
  if (!g) {
    el.append(h('p', { className: 'muted', text: 'This project has no guidelines yet. Create guidelines.md (Markdown, in the project folder): it starts from the rubric, and every annotator sees it here.' }));
    return;
  }
  if (g.problem) {
    el.append(h('p', { className: 'message error', text: `Could not show the guidelines: ${g.problem}` }));
    return;
  }
  for (const b of parseMarkdown(g.text)) el.append(blockNode(b));
  if (g.truncated) el.append(h('p', { className: 'muted', text: `The file is long: only its beginning is shown. Open ${g.file} to read the rest.` }));
}
