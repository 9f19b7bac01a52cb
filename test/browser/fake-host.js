// Browser side of the test harness: a fake acquireVsCodeApi that answers the panels' requests
// from window.__FIXTURE__ and records every message the webview sends in window.__received.
(() => {
  const fixture = window.__FIXTURE__;
  const panel = window.__PANEL__;
  const received = [];
  window.__received = received;
  // Like VS Code, the webview state and the host's annotation session outlive the page: a
  // reload (the panel hidden then shown) finds them in sessionStorage. `fake-delay` (ms) makes
  // the annotate host slow to answer, to press keys while a pair loads.
  const stored = (k) => { try { return JSON.parse(sessionStorage.getItem(k) ?? 'null'); } catch { return null; } };
  const store = (k, v) => sessionStorage.setItem(k, JSON.stringify(v));
  let state = stored('fake-state') ?? window.__INITIAL_STATE__;
  window.__state = state;
  const annotateSession = stored('fake-annotate') ?? { cursor: {}, served: {}, done: [], progress: fixture?.session?.progress };
  if (panel === 'annotate' && annotateSession.progress) fixture.session.progress = annotateSession.progress;
  const saveAnnotate = () => store('fake-annotate', { ...annotateSession, progress: fixture.session.progress });
  const pairKey = (p) => [p.id1, p.id2].sort().join('|');
  const plain = (v) => JSON.parse(JSON.stringify(v, (_k, x) => (ArrayBuffer.isView(x) ? Array.from(x) : x)));

  // Labels given on the map (labelRecords) by point index; clearLabels removes them, and the
  // point falls back to its fixture label — what the host's labels.jsonl does, in memory.
  const mapLabels = new Map();
  window.__mapLabels = mapLabels;
  function withMapLabels(f) {
    if (!f.labels) return { labels: f.labels, labelNames: f.labelNames };
    // Like the engine (map-job.ts): the label names sorted, so a new name can shift every index.
    const names = f.labels.map((v, i) => (mapLabels.has(i) ? mapLabels.get(i) : v < 0 ? undefined : f.labelNames[v]));
    const labelNames = [...new Set(names.filter((l) => l !== undefined))].sort();
    return { labels: names.map((l) => (l === undefined ? -1 : labelNames.indexOf(l))), labelNames };
  }

  function mapPoints(f, labelsOverride) {
    const { labels, labelNames } = panel === 'map' ? withMapLabels(f) : f;
    return {
      dataset: f.dataset,
      coords: Float32Array.from(f.coords),
      clusterLabels: Int32Array.from(labelsOverride ?? f.clusterLabels),
      clusters: f.clusters,
      ids: f.ids,
      texts: f.texts,
      labels: labels ? Int32Array.from(labels) : undefined,
      labelNames,
      annotated: f.annotated ? Uint8Array.from(f.annotated) : undefined,
      runs: (f.runs ?? []).map((r) => ({ ...r, values: Int32Array.from(r.values) })),
      // Typed like the host's: categories Int32Array, numbers Float64Array (null in the JSON fixture = NaN).
      fields: (f.fields ?? []).map((x) => (x.kind === 'category' ? { ...x, values: Int32Array.from(x.values) }
        : x.kind === 'number' ? { ...x, values: Float64Array.from(x.values, (v) => (v === null ? NaN : v)) } : x)),
      omittedFields: f.omittedFields ?? [],
    };
  }

  /**
   * A large synthetic map made in the page (`fixture.synthetic = { n, clusters, seed }`): a million
   * points would be ~100 MB of JSON in fixture.js. Gaussian blobs on a ring, short ids and texts.
   */
  function syntheticPoints({ n, clusters: k = 12, seed = 1 }) {
    let s = seed >>> 0;
    const rand = () => {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const coords = new Float32Array(2 * n);
    const clusterLabels = new Int32Array(n);
    const ids = new Array(n);
    const texts = new Array(n);
    const sizes = new Array(k).fill(0);
    for (let i = 0; i < n; i++) {
      const c = i % k;
      const a = (2 * Math.PI * c) / k;
      const spread = 0.6 + (c % 3) * 0.3;
      const r = Math.sqrt(-2 * Math.log(rand() + 1e-12)), t = 2 * Math.PI * rand();
      coords[2 * i] = 8 * Math.cos(a) + spread * r * Math.cos(t);
      coords[2 * i + 1] = 8 * Math.sin(a) + spread * r * Math.sin(t);
      clusterLabels[i] = c;
      sizes[c]++;
      ids[i] = `p${i}`;
      texts[i] = `Synthetic point ${i} in blob ${c}`;
    }
    return {
      dataset: `synthetic-${n}`, coords, clusterLabels, ids, texts,
      clusters: sizes.map((size, id) => ({ id, size, keywords: [`blob${id}`] })),
    };
  }

  const pairCursor = annotateSession.cursor;
  const cleanPreview = { id: 0, examples: [] };
  const handlers = {
    map: {
      getPoints: () => (fixture.synthetic ? syntheticPoints(fixture.synthetic) : mapPoints(fixture)),
      neighbours: ({ index, k }) => {
        const c = fixture.coords;
        const order = [];
        for (let i = 0; i < c.length / 2; i++) if (i !== index) order.push([i, Math.hypot(c[2 * i] - c[2 * index], c[2 * i + 1] - c[2 * index + 1])]);
        order.sort((a, b) => a[1] - b[1]);
        return { index, neighbours: order.slice(0, k).map(([i, d]) => ({ index: i, id: fixture.ids[i], text: fixture.texts[i], similarity: 1 / (1 + d) })) };
      },
      search: ({ query }) => {
        const q = query.toLowerCase();
        const out = [];
        fixture.texts.forEach((t, i) => { if (t.toLowerCase().includes(q)) out.push(i); });
        // "Semantic" matches: the three points nearest (in the layout) to the first text match.
        const semantic = [];
        if (out.length) {
          const c = fixture.coords;
          const f = out[0];
          const near = [];
          for (let i = 0; i < c.length / 2; i++) if (!out.includes(i)) near.push([i, Math.hypot(c[2 * i] - c[2 * f], c[2 * i + 1] - c[2 * f + 1])]);
          near.sort((a, b) => a[1] - b[1]);
          for (const [i, d] of near.slice(0, 3)) semantic.push({ index: i, similarity: 1 / (1 + d) });
        }
        return { indices: Int32Array.from(out), semantic };
      },
      clearLabels: ({ indices }) => {
        let cleared = 0;
        for (const i of indices) if (mapLabels.delete(i)) cleared++;
        if (cleared > 0) reply({ kind: 'notification', method: 'dataChanged', params: { reason: 'labels' } });
        return { cleared };
      },
    },
    annotate: {
      getSession: () => fixture.session,
      nextPairs: ({ strategy, count }) => {
        const from = pairCursor[strategy] ?? 0;
        // the disagreement queue comes from the log, in the host's order (widest first)
        const source = strategy === 'disagreement' ? fixture.disagreementPairs ?? [] : fixture.pairs;
        const pairs = source.slice(from, from + count).map((p) => ({ ...p, strategy }));
        pairCursor[strategy] = from + pairs.length;
        (annotateSession.served[strategy] ??= []).push(...pairs);
        saveAnnotate();
        return { pairs };
      },
      // what the host's ServedPairs keeps: sent, neither scored nor skipped, in order
      pendingPairs: ({ strategy }) => ({ pairs: (annotateSession.served[strategy] ?? []).filter((p) => !annotateSession.done.includes(pairKey(p))) }),
      // review mode: the rows (latest score per annotator) with the host's filters; an edit
      // (a score command) replaces this annotator's score in the row, as a new log entry would
      reviewPairs: (q) => {
        const fold = (s) => s.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
        const rows = (fixture.review ?? []).filter((r) => {
          const scores = q.annotator ? r.scores.filter((s) => s.annotator === q.annotator) : r.scores;
          const ok = scores.some((s) => (q.minScore === undefined || s.score >= q.minScore) && (q.maxScore === undefined || s.score <= q.maxScore));
          return ok && (!q.text || fold(`${r.left} ${r.right}`).includes(fold(q.text)));
        }).sort((a, b) => (a.time < b.time ? 1 : -1));
        const annotators = [...new Set(fixture.review.flatMap((r) => r.scores.map((s) => s.annotator)))].sort();
        return { total: rows.length, all: fixture.review.length, rows: rows.slice(q.offset, q.offset + q.limit), annotators };
      },
      // the active loop trained a run (or the hint setting changed): the kept pairs (in their
      // `refreshed` view when listed there), then the fixture's other `refreshed` pairs (minus those done)
      refreshPairs: ({ strategy, keep }) => {
        const keepKeys = keep.map(pairKey);
        const refreshed = (fixture.refreshed ?? []).map((p) => ({ ...p, strategy }));
        const kept = (annotateSession.served[strategy] ?? []).filter((p) => keepKeys.includes(pairKey(p)))
          .map((p) => refreshed.find((r) => pairKey(r) === pairKey(p)) ?? p);
        const pairs = refreshed.filter((p) => !annotateSession.done.includes(pairKey(p)) && !keepKeys.includes(pairKey(p)));
        annotateSession.served[strategy] = [...kept, ...pairs];
        saveAnnotate();
        return { pairs, kept };
      },
    },
    // Clean Data: counts follow the switches (a rule that is off is "measured"), the dates rule's
    // inline option and your patterns (matched against the fixture texts); examples are paged.
    clean: {
      getSession: () => fixture.session,
      preview: ({ rules }) => {
        const previewId = ++cleanPreview.id;
        const out = [];
        let output = fixture.session.records;
        for (const info of fixture.session.rules) {
          const s = rules.find((r) => r.id === info.id);
          if (!s || (info.id === 'patterns' && !(s.options.patterns ?? []).length)) continue;
          let examples = fixture.examples.filter((e) => e.rule === info.id);
          if (info.id === 'dates' && s.options.inline) examples = [...examples, ...fixture.inlineExamples];
          if (info.id === 'patterns') {
            const res = s.options.patterns.map((p) => new RegExp(p, s.options.ignoreCase ? 'giu' : 'gu'));
            examples = fixture.texts.flatMap((t, i) => {
              const removed = [];
              for (const re of res) for (const m of t.matchAll(re)) removed.push([m.index, m.index + m[0].length]);
              if (!removed.length) return [];
              removed.sort((a, b) => a[0] - b[0]);
              let after = '', at = 0;
              for (const [a, b] of removed) { after += t.slice(at, a); at = b; }
              after += t.slice(at);
              return [{ rule: 'patterns', id: `t${i}`, before: t, after, removed, inserted: [], beforeGaps: [], afterGaps: [] }];
            });
          }
          const dropped = examples.filter((e) => e.after === null).length;
          if (s.on) output -= dropped;
          out.push({ rule: info.id, changed: examples.length - dropped, removed: dropped, measured: !s.on, examples: examples.length, list: examples });
        }
        cleanPreview.examples = out.flatMap((r) => r.list);
        return { status: 'done', summary: { previewId, input: fixture.session.records, output, rules: out.map(({ list: _list, ...r }) => r) } };
      },
      examples: ({ previewId, rule, offset, limit }) => {
        const list = cleanPreview.examples.filter((e) => rule === null || e.rule === rule);
        return { previewId, total: list.length, items: list.slice(offset, offset + limit) };
      },
      apply: ({ rules }) => {
        const on = rules.filter((r) => r.on).map((r) => r.id);
        return { status: 'applied', input: fixture.session.records, output: fixture.session.records - 2, changed: on.length * 10, removedBy: [{ rule: 'dedupe-exact', removed: 2 }] };
      },
    },
    runs: {
      getRuns: () => ({ runs: fixture.runs }),
      getRunMap: ({ runId }) => {
        const m = window.__MAP_FIXTURE__;
        const run = (m.runs ?? []).find((r) => r.id === runId);
        const points = mapPoints(m, run ? run.values : undefined);
        const split = (fixture.runs ?? []).find((r) => r.id === runId)?.mapSplit;
        if (!split) return points;
        const heldOut = split.every ? Uint8Array.from(points.ids, (_, i) => (i % split.every === 0 ? 1 : 0)) : undefined;
        return { ...points, ...(heldOut ? { heldOut } : {}), metricsScope: split.scope };
      },
      saveExport: ({ format }) => ({ saved: true, path: `/tmp/runs.${format === 'csv' ? 'csv' : 'md'}` }),
      setRunMeta: ({ runId, name, tags, notes }) => {
        const run = fixture.runs.find((r) => r.id === runId);
        if (!run) throw new Error(`no run "${runId}"`);
        if (name !== undefined) {
          run.named = name.trim() !== '';
          run.name = run.named ? name.trim() : run.defaultName;
        }
        if (tags !== undefined) run.tags = tags;
        if (notes !== undefined) run.notes = notes;
        return { name: run.name, named: run.named, tags: run.tags, notes: run.notes };
      },
    },
  };
  const commandEffects = {
    map: (m) => {
      if (m.method === 'labelRecords') {
        for (const i of m.params.indices) mapLabels.set(i, m.params.label);
        reply({ kind: 'notification', method: 'dataChanged', params: { reason: 'labels' } });
      }
    },
    annotate: (m) => {
      if (m.method === 'pass') {
        annotateSession.done.push(pairKey(m.params));
        saveAnnotate();
      }
      const row = m.method === 'score' && (fixture.review ?? []).find((r) => pairKey(r) === pairKey(m.params));
      if (row) {
        const time = new Date().toISOString();
        row.scores = [...row.scores.filter((s) => s.annotator !== fixture.session.annotator), { annotator: fixture.session.annotator, score: m.params.score, time, ...(m.params.note ? { note: m.params.note } : {}) }]
          .sort((a, b) => (a.annotator < b.annotator ? -1 : 1));
        row.time = time;
      }
      if (m.method === 'score' || m.method === 'skip' || m.method === 'undo') {
        const p = fixture.session.progress;
        if (m.method === 'score') p.annotated++;
        if (m.method === 'undo') p.annotated = Math.max(0, p.annotated - 1);
        const k = pairKey(m.params);
        if (m.method === 'undo') annotateSession.done = annotateSession.done.filter((d) => d !== k);
        else annotateSession.done.push(k);
        saveAnnotate();
        reply({ kind: 'notification', method: 'saved', params: { id1: m.params.id1, id2: m.params.id2, progress: { ...p }, ...(fixture.overallAfterSave ? { overall: fixture.overallAfterSave } : {}) } });
      }
    },
  };

  /** Tests send host notifications with this (e.g. the active loop's). */
  window.__hostNotify = (method, params) => reply({ kind: 'notification', method, params });

  function reply(message) {
    const delay = (panel === 'annotate' || panel === 'clean') && message.kind === 'response' ? Number(sessionStorage.getItem('fake-delay') ?? 5) : 5;
    setTimeout(() => window.postMessage(message, '*'), delay);
  }

  window.acquireVsCodeApi = () => ({
    postMessage(message) {
      received.push(plain(message));
      if (message.kind === 'request') {
        const h = handlers[panel]?.[message.method];
        if (window.__DROP_REQUESTS__) return;
        if (!h) {
          reply({ kind: 'response', id: message.id, ok: false, error: { name: 'Error', message: `no fake handler for ${message.method}` } });
          return;
        }
        try {
          reply({ kind: 'response', id: message.id, ok: true, result: h(message.params ?? {}) });
        } catch (e) {
          reply({ kind: 'response', id: message.id, ok: false, error: { name: 'Error', message: String(e) } });
        }
      } else if (message.kind === 'command') {
        commandEffects[panel]?.(message);
      }
    },
    getState: () => state,
    // VS Code keeps a serialized copy: later changes to the object are not saved.
    setState: (s) => { state = JSON.parse(JSON.stringify(s)); window.__state = state; store('fake-state', state); },
  });
})();
