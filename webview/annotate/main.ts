/**
 * Pair annotation webview: two texts with their shared words marked (h), the project's rubric,
 * keys 1–9 / s / u / b, m (show more), i (details), g (guidelines), r (review mode), notes,
 * progress, agreement between annotators. The pair queue lives in the host: a page reloaded
 * after the panel was hidden resumes it (and the pair on screen, from the saved UI state);
 * keys pressed while a pair loads wait for it (key-queue.ts).
 */
import type {
  AnnotateProtocol, AnnotateSession, PairAgreement, PairStrategy, PairView, RubricAnchor, SessionAgreement,
} from '../../src/protocol/annotate';
import { PAIR_STRATEGIES } from '../../src/protocol/annotate';
import { createClient, loadUiState, saveUiState } from '../common/vscode-api';
import { ce, h } from '../common/dom';
import { actionForKey, isEditableTag, type AnnotateAction } from './keys';
import { PairSession } from './session';
import { KeyQueue } from './key-queue';
import { anyTextOverflows, renderRecord } from './record-view';
import { renderGuidelines } from './guidelines-view';
import { ReviewView } from './review-view';
import { createHintElement, renderHint } from './llm-hint';
import { createActiveLoopView } from './active-loop-view';

interface AnnotateUiState {
  strategy: PairStrategy;
  /** Key of the pair on screen, so a reloaded page shows it again. */
  current: string;
  /** Long texts shown in full. */
  expanded: boolean;
  /** Labels and other fields shown. */
  details: boolean;
  /** The guidelines shown. */
  guidelines: boolean;
  /** Review mode (the annotated pairs) rather than the pair queue. */
  review: boolean;
  /** Shared words marked in the texts. */
  highlight: boolean;
}

const BATCH = 20;
const client = createClient<AnnotateProtocol>();
const savedUi = loadUiState<AnnotateUiState>() ?? {};
let session: AnnotateSession | undefined;
let rubric: RubricAnchor[] = [];
let strategy: PairStrategy = savedUi.strategy ?? 'nearest';
const pairs = new PairSession<PairView>();
const pairKey = (p: PairView) => (p.id1 < p.id2 ? `${p.id1}\u0000${p.id2}` : `${p.id2}\u0000${p.id1}`);
/** Score shown as chosen for the current pair (after back/undo). */
let shownScore: number | undefined;
let loading = false;
let exhausted = false;
/** False until the session and the first pairs arrived: keys wait in `waitingKeys` meanwhile. */
let started = false;
/** Key of the pair last on screen (restored from the UI state after a reload). */
let shownKey: string | undefined = savedUi.current;
let expanded = savedUi.expanded ?? false;
let details = savedUi.details ?? false;
let guidelinesOpen = savedUi.guidelines ?? false;
let reviewMode = savedUi.review ?? false;
let highlight = savedUi.highlight ?? true;
const waitingKeys = new KeyQueue<Extract<AnnotateAction, { type: 'score' | 'skip' }>>();

function saveUi(): void {
  saveUiState<AnnotateUiState>({ strategy, current: shownKey ?? '', expanded, details, guidelines: guidelinesOpen, review: reviewMode, highlight });
}

// ---- layout ---------------------------------------------------------------------------
const app = document.getElementById('app') ?? document.body;
const strategySelect = h('select', { className: 'select', attrs: { id: 'strategy', 'aria-label': 'Pair suggestion strategy' } });
for (const s of PAIR_STRATEGIES) strategySelect.append(h('option', { text: s.label, attrs: { value: s.id, title: s.detail } }));
const progressText = h('span', { className: 'status', attrs: { id: 'progress', role: 'status' } });
const progressBar = h('progress', { attrs: { id: 'progress-bar', max: '1', value: '0', 'aria-label': 'Annotation progress' } });
const agreementText = h('span', { className: 'status', attrs: { id: 'agreement' } });
/** "Selection of N records" when the pairs come from records selected on the cluster map. */
const scopeText = h('span', { className: 'status', attrs: { id: 'scope' } });
scopeText.hidden = true;
const header = h('div', { className: 'toolbar' }, h('label', { className: 'field-label', text: 'Pairs:', attrs: { for: 'strategy' } }), strategySelect, scopeText, progressBar, progressText, agreementText);

/** The active loop's Spearman on held-out annotations, on its own line under the toolbar. */
const activeLoop = createActiveLoopView();

const left = h('section', { className: 'record', attrs: { id: 'left', 'aria-label': 'First text' } });
const right = h('section', { className: 'record', attrs: { id: 'right', 'aria-label': 'Second text' } });
const similarity = h('div', { className: 'pair-meta', attrs: { id: 'pair-meta' } });
const records = h('div', { className: 'records' }, left, right);
const hintLine = createHintElement();
const anchors = h('div', { className: 'anchors', attrs: { id: 'anchors', role: 'group', 'aria-label': 'Similarity score' } });
const notes = ce('vscode-textarea', { id: 'notes', placeholder: 'Notes (optional, saved with the score)', rows: '2', 'aria-label': 'Notes' }) as HTMLElement & { value: string };
const skipButton = ce('vscode-button', { id: 'skip', secondary: '', title: 'Skip (S)' }, 'Skip (S)');
const undoButton = ce('vscode-button', { id: 'undo', secondary: '', title: 'Undo (U, Ctrl+Z)' }, 'Undo (U)');
const backButton = ce('vscode-button', { id: 'back', secondary: '', title: 'Back (B, ←)' }, 'Back (B)');
const moreButton = ce('vscode-button', { id: 'more', secondary: '', title: 'Show more or less of long texts (M)' }, 'Show more (M)');
const detailsButton = ce('vscode-button', { id: 'details', secondary: '', title: 'Show the records\u2019 label and fields (I)' }, 'Details (I)');
const highlightButton = ce('vscode-button', { id: 'highlight', secondary: '', title: 'Mark the words both texts share (H)' }, 'Shared words (H)');
const guidelinesButton = ce('vscode-button', { id: 'guidelines-toggle', secondary: '', title: 'Show the project\u2019s guidelines, guidelines.md (G)' }, 'Guidelines (G)');
const reviewButton = ce('vscode-button', { id: 'review-toggle', secondary: '', title: 'Review, filter and edit the annotated pairs (R)' }, 'Review (R)');
const actions = h('div', { className: 'toolbar' }, backButton, undoButton, skipButton, moreButton, detailsButton, highlightButton);
const message = h('div', { className: 'message', attrs: { id: 'message', role: 'status', 'aria-live': 'polite' } });
const agreementPair = h('div', { className: 'pair-agreement', attrs: { id: 'pair-agreement' } });
const guidelines = h('section', { className: 'guidelines', attrs: { id: 'guidelines', 'aria-label': 'Annotation guidelines', tabindex: '0' } });
header.append(guidelinesButton, reviewButton);
const annotateArea = h('div', { className: 'annotate-area', attrs: { id: 'annotate-area' } }, similarity, hintLine, records, anchors, agreementPair, notes, actions, message);
const review = new ReviewView({
  fetch: (query) => client.request('reviewPairs', query),
  edit: (id1, id2, s, note) => client.command('score', { id1, id2, score: s, ...(note ? { note } : {}) }),
  rubric: () => rubric,
  annotator: () => session?.annotator ?? '',
});
app.append(header, activeLoop.element, guidelines, annotateArea, review.el);

// ---- rendering ------------------------------------------------------------------------
/** Applies "show more" and "details" to the panes and the buttons. */
function renderToggles(): void {
  records.classList.toggle('expanded', expanded);
  records.classList.toggle('with-details', details);
  moreButton.textContent = expanded ? 'Show less (M)' : 'Show more (M)';
  moreButton.setAttribute('aria-pressed', String(expanded));
  detailsButton.textContent = details ? 'Hide details (I)' : 'Details (I)';
  detailsButton.setAttribute('aria-pressed', String(details));
  // nothing to show more of: say so rather than offer a button that does nothing
  const cut = expanded || anyTextOverflows(records);
  moreButton.toggleAttribute('disabled', !cut);
  document.body.dataset.expanded = String(expanded);
  document.body.dataset.details = String(details);
  records.classList.toggle('no-shared', !highlight);
  highlightButton.setAttribute('aria-pressed', String(highlight));
  highlightButton.textContent = highlight ? 'Hide shared words (H)' : 'Shared words (H)';
  document.body.dataset.highlight = String(highlight);
  guidelines.hidden = !guidelinesOpen;
  guidelinesButton.setAttribute('aria-pressed', String(guidelinesOpen));
  guidelinesButton.textContent = guidelinesOpen ? 'Hide guidelines (G)' : 'Guidelines (G)';
  document.body.dataset.guidelines = String(guidelinesOpen);
  annotateArea.hidden = reviewMode;
  review.el.hidden = !reviewMode;
  strategySelect.toggleAttribute('disabled', reviewMode);
  reviewButton.setAttribute('aria-pressed', String(reviewMode));
  reviewButton.textContent = reviewMode ? 'Back to pairs (R)' : 'Review (R)';
  document.body.dataset.mode = reviewMode ? 'review' : 'annotate';
}

function renderAnchors(): void {
  anchors.textContent = '';
  anchors.style.setProperty('--anchors', String(Math.max(1, rubric.length)));
  rubric.forEach((a, k) => {
    const b = h('button', { className: 'anchor', attrs: { type: 'button', 'data-score': String(a.score), 'aria-keyshortcuts': String(k + 1) } },
      h('span', { className: 'anchor-key', text: String(k + 1) }),
      h('span', { className: 'anchor-score', text: formatScore(a.score) }),
      h('span', { className: 'anchor-label', text: a.label }),
      h('span', { className: 'anchor-desc', text: a.description && a.description.toLowerCase() !== a.label.toLowerCase() ? a.description : '' }));
    b.addEventListener('click', () => score(k));
    anchors.append(b);
  });
  markChosen();
}

function formatScore(s: number): string {
  return s === 0 || s === 1 ? String(s) : s.toFixed(2).replace(/^0/, '');
}

function markChosen(): void {
  for (const b of anchors.querySelectorAll<HTMLButtonElement>('.anchor')) {
    const chosen = shownScore !== undefined && Number(b.dataset.score) === shownScore;
    b.classList.toggle('chosen', chosen);
    b.setAttribute('aria-pressed', String(chosen));
  }
}

function renderAgreement(a: PairAgreement | undefined): void {
  agreementPair.textContent = '';
  if (!a || a.scores.length < 2) return;
  const me = session?.annotator;
  const scores = a.scores.map((s) => `${s.annotator}${s.annotator === me ? ' (you)' : ''} ${formatScore(s.score)}`).join(', ');
  agreementPair.append(h('span', { text: `Annotators: ${scores} · mean ${a.mean.toFixed(2)} · spread ${a.spread.toFixed(2)}` }));
}

function renderPair(): void {
  const p = pairs.current;
  renderRecord(left, p?.left);
  renderRecord(right, p?.right);
  document.body.dataset.pair = p ? `${p.id1}|${p.id2}` : '';
  renderToggles();
  if (p) {
    shownKey = pairKey(p);
    saveUi();
  }
  renderHint(hintLine, p?.hint, formatScore);
  if (!p) {
    similarity.textContent = '';
    message.textContent = exhausted ? 'No more pairs for this strategy. Pick another strategy above.' : 'Loading pairs…';
    renderAgreement(undefined);
    markChosen();
    return;
  }
  const strategyLabel = PAIR_STRATEGIES.find((s) => s.id === p.strategy)?.label ?? p.strategy;
  similarity.textContent = `${strategyLabel}${p.similarity !== undefined ? ` · cosine ${p.similarity.toFixed(3)}` : ''}${p.similarityRun !== undefined ? ` · active-loop run ${p.similarityRun.toFixed(3)}` : ''}`;
  if (p.sharedTerms?.length) similarity.append(' · shared words: ', h('span', { className: 'shared-terms', text: p.sharedTerms.join(', ') }));
  if (shownScore === undefined && p.previous) shownScore = p.previous.score;
  skipButton.textContent = p.previous ? 'Pass (S)' : 'Skip (S)';
  skipButton.title = p.previous ? 'Move on; your earlier score stands (S)' : 'Skip (S)';
  renderAgreement(p.agreement);
  markChosen();
}

function renderProgress(annotated: number, target: number): void {
  progressText.textContent = `${annotated.toLocaleString('en-US')} / ${target.toLocaleString('en-US')} annotated`;
  progressText.dataset.annotated = String(annotated);
  progressBar.max = Math.max(1, target);
  progressBar.value = Math.min(annotated, target);
}

function renderSession(s: AnnotateSession): void {
  session = s;
  rubric = s.rubric;
  renderAnchors();
  renderProgress(s.progress.annotated, s.progress.target);
  scopeText.hidden = !s.selection;
  scopeText.textContent = s.selection ? `from a selection of ${s.selection.records.toLocaleString('en-US')} record${s.selection.records === 1 ? '' : 's'}` : '';
  scopeText.dataset.records = s.selection ? String(s.selection.records) : '';
  activeLoop.render(s.activeLoop);
  renderOverallAgreement(s.agreement);
  renderGuidelines(guidelines, s.guidelines, (file) => client.command('openProjectFile', { file }));
}

/** Krippendorff's alpha and the pairs with two annotators or more, in the toolbar. */
function renderOverallAgreement(a: SessionAgreement | undefined): void {
  agreementText.textContent = a
    ? `Krippendorff's α ${a.alpha === undefined ? 'n/a' : a.alpha.toFixed(2)} · ${a.pairs.toLocaleString('en-US')} pair${a.pairs === 1 ? '' : 's'} with ≥2 annotators`
    : '';
  agreementText.title = a ? `Agreement between ${a.annotators} annotators (interval metric on the 0–1 scale; 1 = perfect, 0 = chance). Mean |Δ| ${a.meanAbsDiff.toFixed(2)}.` : '';
  agreementText.dataset.alpha = a?.alpha === undefined ? '' : String(a.alpha);
}

// ---- actions --------------------------------------------------------------------------
function noteValue(): string | undefined {
  const v = (notes.value ?? '').trim();
  return v ? v : undefined;
}

function clearNote(): void {
  notes.value = '';
}

function advance(): void {
  shownScore = undefined;
  clearNote();
  renderPair();
  if (pairs.remaining < 5) void fetchMore();
}

/** No pair on screen: a score or skip waits for the pair, or says why it cannot. */
function waitOrSay(action: Extract<AnnotateAction, { type: 'score' | 'skip' }>, key: string): void {
  if (!started || loading) {
    waitingKeys.push({ action, key, meantFor: shownKey });
    message.classList.remove('error');
    message.textContent = `Loading the pair… key ${key} will apply when it is back on screen.`;
  } else {
    message.classList.add('error');
    message.textContent = `Key ${key} not applied: there is no pair on screen${exhausted ? ' (no more pairs for this strategy)' : ''}.`;
  }
}

/** A pair arrived: apply the waiting key meant for it; say which keys could not be applied. */
function settleWaitingKeys(): void {
  if (!waitingKeys.size) return;
  const { apply, dropped } = waitingKeys.settle(pairs.current ? pairKey(pairs.current) : undefined);
  if (apply) {
    if (apply.action.type === 'score') score(apply.action.anchor, apply.key);
    else skip(apply.key);
  }
  if (dropped.length) {
    message.classList.add('error');
    const keys = dropped.map((k) => k.key).join(', ');
    message.textContent = `${apply ? message.textContent + ' ' : ''}Not applied: key${dropped.length > 1 ? 's' : ''} ${keys}, pressed while loading, ${dropped.length > 1 ? 'were' : 'was'} not meant for the pair now on screen. Press again if needed.`;
  }
}

function score(anchor: number, key = String(anchor + 1)): void {
  const p = pairs.current;
  const a = rubric[anchor];
  if (!p) return waitOrSay({ type: 'score', anchor }, key);
  if (!a) {
    message.classList.add('error');
    message.textContent = `Key ${key} not applied: the rubric has ${rubric.length} anchors.`;
    return;
  }
  message.classList.remove('error');
  client.command('score', { id1: p.id1, id2: p.id2, score: a.score, note: noteValue(), ...(p.hint ? { hintShown: true } : {}) });
  pairs.act('score', a.score);
  message.textContent = `Saved ${formatScore(a.score)} for ${p.id1} · ${p.id2}`;
  advance();
}

function skip(key = 's'): void {
  const p = pairs.current;
  if (!p) return waitOrSay({ type: 'skip' }, key);
  message.classList.remove('error');
  if (p.previous) {
    // a skip entry would withdraw the score this annotator gave before: move on without one
    client.command('pass', { id1: p.id1, id2: p.id2 });
    pairs.act('pass');
    message.textContent = `Passed ${p.id1} · ${p.id2}; your score ${formatScore(p.previous.score)} stands`;
    advance();
    return;
  }
  client.command('skip', { id1: p.id1, id2: p.id2, note: noteValue() });
  pairs.act('skip');
  message.textContent = `Skipped ${p.id1} · ${p.id2}`;
  advance();
}

function undo(): void {
  const last = pairs.undo();
  if (!last) {
    message.textContent = 'Nothing to undo.';
    return;
  }
  if (last.action !== 'pass') client.command('undo', { id1: last.pair.id1, id2: last.pair.id2 });
  shownScore = undefined;
  clearNote();
  message.textContent = `Undid the ${last.action} of ${last.pair.id1} · ${last.pair.id2}`;
  renderPair();
}

function back(): void {
  const last = pairs.back();
  if (!last) {
    message.textContent = 'This is the first pair.';
    return;
  }
  shownScore = last.score;
  clearNote();
  message.textContent = last.action === 'score' ? `Back: you scored this ${formatScore(last.score ?? 0)}; choose again to change it.` : last.action === 'pass' ? 'Back: you passed this pair.' : 'Back: you skipped this pair.';
  renderPair();
}

async function fetchMore(): Promise<void> {
  if (loading || exhausted) return;
  loading = true;
  try {
    const r = await client.request('nextPairs', { strategy, count: BATCH });
    if (r.pairs.length === 0) exhausted = true;
    const hadCurrent = pairs.current !== undefined;
    pairs.enqueue(r.pairs, pairKey);
    if (!hadCurrent) {
      if (pairs.current) message.textContent = '';
      renderPair();
    }
  } catch (e) {
    message.textContent = `Could not load pairs: ${e instanceof Error ? e.message : String(e)}`;
  } finally {
    loading = false;
  }
  if (!pairs.current) renderPair();
  if (started) settleWaitingKeys();
  const again = refreshAfterLoad;
  refreshAfterLoad = undefined;
  if (again) void refreshQueue(again);
}

/** After a reload: the pairs the host already sent and that are still to do, the one on screen first. */
async function resumePairs(): Promise<void> {
  loading = true;
  try {
    const { pairs: pending } = await client.request('pendingPairs', { strategy });
    pairs.enqueue(pending, pairKey);
    if (shownKey) pairs.focus(shownKey, pairKey);
  } catch (e) {
    message.textContent = `Could not resume the session: ${e instanceof Error ? e.message : String(e)}`;
  } finally {
    loading = false;
  }
}

function toggleMore(): void {
  expanded = !expanded;
  saveUi();
  renderToggles();
}

function toggleDetails(): void {
  details = !details;
  saveUi();
  renderToggles();
}

function toggleHighlight(): void {
  highlight = !highlight;
  saveUi();
  renderToggles();
}

function toggleGuidelines(): void {
  guidelinesOpen = !guidelinesOpen;
  saveUi();
  renderToggles();
}

function setReview(on: boolean): void {
  if (reviewMode === on) return;
  reviewMode = on;
  saveUi();
  renderToggles();
  if (on) void review.refresh();
}

function changeStrategy(s: PairStrategy): void {
  strategy = s;
  saveUi();
  client.command('setStrategy', { strategy });
  pairs.clearQueue();
  exhausted = false;
  pairs.current = undefined;
  shownScore = undefined;
  renderPair();
  void fetchMore();
}

strategySelect.addEventListener('change', () => changeStrategy(strategySelect.value as PairStrategy));
skipButton.addEventListener('click', () => skip());
undoButton.addEventListener('click', undo);
backButton.addEventListener('click', back);
moreButton.addEventListener('click', toggleMore);
detailsButton.addEventListener('click', toggleDetails);
highlightButton.addEventListener('click', toggleHighlight);
guidelinesButton.addEventListener('click', toggleGuidelines);
reviewButton.addEventListener('click', () => setReview(!reviewMode));
window.addEventListener('resize', renderToggles);

document.addEventListener('keydown', (e) => {
  const target = e.composedPath()[0];
  const el = target instanceof HTMLElement ? target : undefined;
  const inEditable = el ? isEditableTag(el.tagName, el.isContentEditable) : false;
  // before the session arrives the rubric is unknown: digits wait, and are checked when applied
  const action = actionForKey({ key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, inEditable }, rubric.length || 9);
  if (!action) return;
  if (action.type === 'escape') {
    if (reviewMode) setReview(false);
    else if (guidelinesOpen) toggleGuidelines();
    else return;
    e.preventDefault();
    return;
  }
  e.preventDefault();
  if (action.type === 'review') setReview(!reviewMode);
  else if (action.type === 'guidelines') toggleGuidelines();
  // review mode: the pair keys would act on a pair that is not on screen
  else if (reviewMode) return;
  else if (action.type === 'highlight') toggleHighlight();
  else if (action.type === 'score') score(action.anchor, e.key);
  else if (action.type === 'skip') skip(e.key);
  else if (action.type === 'undo') undo();
  else if (action.type === 'more') toggleMore();
  else if (action.type === 'details') toggleDetails();
  else back();
});

client.on('saved', ({ progress, agreement, overall, id1, id2 }) => {
  renderProgress(progress.annotated, progress.target);
  if (overall) renderOverallAgreement(overall);
  review.saved(id1, id2);
  if (agreement && agreement.scores.length >= 2) message.textContent = `Saved ${id1} · ${id2}; ${agreement.scores.length} annotators, spread ${agreement.spread.toFixed(2)}`;
});
client.on('saveFailed', ({ id1, id2, message: m }) => {
  message.textContent = `Not saved (${id1} · ${id2}): ${m}`;
  message.classList.add('error');
});
client.on('sessionChanged', (s) => renderSession(s));
client.on('activeLoop', ({ status, newRun }) => {
  activeLoop.render(status);
  if (newRun && strategy === 'uncertain') void refreshQueue('activeLoop');
});
client.on('hintSettingChanged', () => void refreshQueue('hints'));

/** Why the queue is asked for again: a new active-loop run, or the LLM hint setting changed. */
type RefreshReason = 'activeLoop' | 'hints';
/** A refresh asked for while pairs were loading: done once they are in. */
let refreshAfterLoad: RefreshReason | undefined;

/**
 * The queue (not the pair on screen) is replaced by new suggestions: chosen with the active loop's
 * new run, or carrying the LLM hints the setting now shows or hides (then the pair on screen gets
 * its new view too). Keys keep acting on the pair on screen meanwhile; pairs acted on never come back.
 */
async function refreshQueue(reason: RefreshReason): Promise<void> {
  if (!started) return;
  if (loading) {
    refreshAfterLoad = reason;
    return;
  }
  const asked = strategy;
  const keep = pairs.current ? [{ id1: pairs.current.id1, id2: pairs.current.id2 }] : [];
  try {
    const r = await client.request('refreshPairs', { strategy: asked, count: BATCH, keep });
    if (asked !== strategy) return;
    const hadCurrent = pairs.current !== undefined;
    pairs.replaceQueue(r.pairs, pairKey);
    const updated = (r.kept ?? []).some((p) => pairs.updateCurrent(p, pairKey));
    exhausted = false;
    document.body.dataset.refreshed = String(Number(document.body.dataset.refreshed ?? '0') + 1);
    if (!hadCurrent || updated) renderPair();
    message.classList.remove('error');
    message.textContent =
      reason === 'hints'
        ? 'The LLM hint setting changed: the pairs were asked for again.'
        : `The active loop trained a new run: ${r.pairs.length} new pair${r.pairs.length === 1 ? '' : 's'} queued where it and the base encoder disagree or it is least sure.`;
  } catch (e) {
    message.textContent = `Could not refresh the pairs: ${e instanceof Error ? e.message : String(e)}`;
  }
}

async function start(): Promise<void> {
  strategySelect.value = strategy;
  renderPair();
  document.body.dataset.loading = 'true';
  try {
    renderSession(await client.request('getSession', {}));
  } catch (e) {
    message.textContent = `Could not start: ${e instanceof Error ? e.message : String(e)}`;
    started = true;
    settleWaitingKeys();
    return;
  }
  if (session && !savedUi.strategy) {
    strategy = session.strategy;
    strategySelect.value = strategy;
  }
  await resumePairs();
  if (pairs.current) {
    message.textContent = '';
    renderPair();
  }
  if (pairs.remaining < 5) await fetchMore();
  started = true;
  settleWaitingKeys();
  renderToggles();
  if (reviewMode) await review.refresh();
  document.body.dataset.loading = 'false';
  document.body.dataset.ready = 'true';
}

client.ready();
void start();
