// Deterministic fixture data for the browser tests (plain JSON; the fake host makes typed arrays).
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOPICS = [
  ['election', 'vote', 'parliament', 'minister'],
  ['football', 'league', 'goal', 'coach'],
  ['market', 'shares', 'oil', 'profit'],
  ['software', 'chip', 'internet', 'phone'],
  ['storm', 'flood', 'rescue', 'weather'],
];

/** French topics for the 13-cluster fixture: long, accented, non-English texts and keywords. */
const TOPICS_FR = [
  ['élection', 'scrutin', 'assemblée', 'ministre'],
  ['football', 'championnat', 'entraîneur', 'but'],
  ['marché', 'actions', 'pétrole', 'bénéfice'],
  ['logiciel', 'processeur', 'réseau', 'téléphone'],
  ['tempête', 'inondation', 'secours', 'météo'],
  ['hôpital', 'vaccin', 'épidémie', 'médecin'],
  ['école', 'université', 'enseignant', 'baccalauréat'],
  ['cinéma', 'festival', 'réalisateur', 'première'],
  ['agriculture', 'récolte', 'sécheresse', 'éleveurs'],
  ['justice', 'tribunal', 'procès', 'avocat'],
  ['transport', 'grève', 'cheminots', 'aéroport'],
  ['espace', 'fusée', 'satellite', 'astronaute'],
  ['musée', 'exposition', 'patrimoine', 'restauration'],
];

/** Names of the French clusters (as an LLM would give them); the last three have none (keywords are drawn). */
const NAMES_FR = [
  'Élections législatives et recomposition de l’Assemblée nationale',
  'Football : le championnat et ses entraîneurs',
  'Marchés financiers et prix du pétrole',
  'Technologies numériques',
  'Intempéries et secours',
  'Santé publique et épidémies',
  'Éducation nationale',
  'Cinéma et festivals',
  'Agriculture face à la sécheresse',
  'Procès et tribunaux',
];

const SOURCES_EN = ['Reuters', 'AP', 'AFP', 'BBC', 'Bloomberg'];
const SOURCES_FR = ['Le Monde', 'Libération', 'Ouest-France', 'Le Figaro', 'La Dépêche du Midi', 'Paris-Normandie'];

/**
 * n points in gaussian blobs (+ 2 % outliers), texts that name their topic. Default: 5 English
 * blobs. `{ clusters: 13, lang: 'fr' }`: 13 blobs on two rings with long French texts, and names
 * for the first ten clusters. Every record has fields: a source (category; every 11th missing),
 * a year (number; every 13th missing) and an author (text).
 */
export function mapFixture(n = 2000, seed = 7, { clusters: k = 5, lang = 'en' } = {}) {
  const r = rng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
  const fr = lang === 'fr';
  const topics = fr ? TOPICS_FR.slice(0, k) : TOPICS;
  const centres = k === 5 && !fr
    ? [[-6, 4], [5, 5], [0, -5], [-7, -4], [7, -3]]
    : topics.map((_, c) => {
      const ring = c < 5 ? 4 : 9;
      const a = (2 * Math.PI * (c < 5 ? c : c - 5)) / (c < 5 ? 5 : topics.length - 5);
      return [ring * Math.cos(a), ring * Math.sin(a)];
    });
  const spread = fr ? 0.8 : 1.1;
  const coords = [], clusterLabels = [], ids = [], texts = [], labels = [], annotated = [];
  for (let i = 0; i < n; i++) {
    const outlier = r() < 0.02;
    const c = i % topics.length;
    const [cx, cy] = outlier ? [r() * 20 - 10, r() * 20 - 10] : centres[c];
    coords.push(cx + gauss() * spread, cy + gauss() * spread);
    clusterLabels.push(outlier ? -1 : c);
    ids.push(`rec-${i}`);
    const words = topics[c];
    texts.push(fr
      ? `Article ${i} : les dernières nouvelles concernant ${words[i % 4]} et ${words[(i + 1) % 4]} dans la région numéro ${i % 7}, avec les réactions des élus, des associations et des habitants, qui s’inquiètent des conséquences à long terme pour l’économie locale et la vie quotidienne.`
      : `Item ${i}: news about ${words[i % 4]} and ${words[(i + 1) % 4]} in region ${i % 7}`);
    labels.push(c % 4);
    annotated.push(i % 9 === 0 ? 1 : 0);
  }
  const clusters = topics.map((kw, id) => ({ id, size: clusterLabels.filter((v) => v === id).length, keywords: kw, ...(fr && NAMES_FR[id] ? { name: NAMES_FR[id], nameSource: 'llm' } : {}) }));
  const sources = fr ? SOURCES_FR : SOURCES_EN;
  const fields = [
    { name: 'source', kind: 'category', names: [...sources].sort(), values: ids.map((_, i) => (i % 11 === 10 ? -1 : [...sources].sort().indexOf(sources[(i * 7) % sources.length]))) },
    { name: fr ? 'année' : 'year', kind: 'number', values: ids.map((_, i) => (i % 13 === 12 ? null : 1990 + ((i * 17) % 35))) },
    { name: fr ? 'auteur' : 'author', kind: 'text', values: ids.map((_, i) => (fr ? `Rédaction numéro ${i % 40} et correspondants régionaux` : `Desk ${i % 40}`)) },
  ];
  return {
    dataset: fr ? 'actualites-fr' : 'fixture-news', coords, clusterLabels, clusters, ids, texts, fields,
    labels, labelNames: fr ? ['Monde', 'Sports', 'Économie', 'Sciences et techniques'] : ['World', 'Sports', 'Business', 'Sci/Tech'], annotated,
    runs: [{ id: 'run-b', name: 'run b', values: clusterLabels.map((v, i) => (v < 0 ? -1 : (v + (i % 3 === 0 ? 1 : 0)) % 5)) }],
  };
}

/**
 * Flat [start, end, …] offsets of `words` in `text` (whole words, any case): what the host's
 * shared-terms module sends (its matching is unit-tested; here the view's marking is).
 */
export function spansOf(text, words) {
  const out = [];
  const re = new RegExp(`(?<![\\p{L}\\p{N}])(${words.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  for (const m of text.matchAll(re)) out.push(m.index, m.index + m[0].length);
  return out;
}

/** Marks `words` in every field of both records of a pair, and lists them. */
function withShared(pair, words) {
  const mark = (r) => ({ ...r, fields: r.fields.map((f) => ({ ...f, shared: spansOf(f.value, words) })) });
  return { ...pair, left: mark(pair.left), right: mark(pair.right), sharedTerms: words.map((w) => w.toLowerCase()) };
}

export const GUIDELINES_FR = [
  '# Consignes d’annotation',
  '',
  'Notez la **proximité** des deux articles, pas leur *qualité* : deux dépêches sur la même crue sont proches même si l’une est mal écrite.',
  '',
  '- **1** : le même événement (la même crue, le même procès) ;',
  '- **0,75** : même sujet et même pays ;',
  '- **0** : rien en commun.',
  '',
  '> En cas de doute, passez la paire (S) et notez pourquoi.',
  '',
  'Les balises <script>alert(1)</script> et <img src=x onerror=alert(2)> restent du texte ; voir [le guide complet](https://example.org/guide).',
].join('\n');

export function annotateFixture() {
  const rec = (id, title, summary) => ({
    id, fields: [{ name: 'title', value: title }, { name: 'summary', value: summary }],
    label: id.startsWith('a') ? 'Météo' : 'Secours',
    metadata: [{ name: 'source', value: 'Paris-Normandie' }, { name: 'date', value: '2024-03-12' }],
  });
  const pairs = [];
  for (let k = 0; k < 8; k++) {
    pairs.push({
      id1: `a${k}`, id2: `b${k}`, strategy: 'nearest', similarity: 0.9 - k * 0.08,
      left: rec(`a${k}`, `Floods hit the north of Italy (${k})`, 'Heavy rain caused rivers to burst their banks; thousands were evacuated from towns near Bologna.'),
      right: rec(`b${k}`, `Rescue teams reach flooded villages (${k})`, 'Emergency services in Emilia-Romagna used boats to reach residents cut off by the water.'),
      ...(k === 1 ? { agreement: { scores: [{ annotator: 'ana', score: 0.75 }, { annotator: 'ben', score: 1 }], mean: 0.875, spread: 0.25 } } : {}),
    });
  }
  // the disagreement queue, as the host serves it: widest spread first; d0 was scored by this annotator
  const disagreementPairs = [
    { id1: 'd0', id2: 'e0', spread: 1, scores: [{ annotator: 'ana', score: 0 }, { annotator: 'tester', score: 1 }], previous: 1 },
    { id1: 'd1', id2: 'e1', spread: 0.75, scores: [{ annotator: 'ana', score: 0.25 }, { annotator: 'ben', score: 1 }] },
    { id1: 'd2', id2: 'e2', spread: 0.5, scores: [{ annotator: 'ben', score: 0.5 }, { annotator: 'cleo', score: 0 }] },
  ].map((d) => ({
    id1: d.id1, id2: d.id2, strategy: 'disagreement',
    left: rec(d.id1, `Grève à la SNCF (${d.id1})`, 'Les cheminots ont cessé le travail mardi.'),
    right: rec(d.id2, `Grève dans les aéroports (${d.id2})`, 'Les contrôleurs aériens rejoignent le mouvement.'),
    agreement: { scores: d.scores, mean: d.scores.reduce((s, x) => s + x.score, 0) / d.scores.length, spread: d.spread },
    ...(d.previous !== undefined ? { previous: { score: d.previous } } : {}),
  }));
  const review = [
    { id1: 'r0', id2: 's0', left: 'Inondations en Émilie-Romagne : des milliers d’évacués', right: 'Les secours atteignent les villages inondés', scores: [{ annotator: 'ana', score: 0.75, time: '2026-03-02T10:00:00Z', note: 'même région' }, { annotator: 'tester', score: 1, time: '2026-03-02T11:00:00Z' }], time: '2026-03-02T11:00:00Z' },
    { id1: 'r1', id2: 's1', left: 'Le championnat de football reprend', right: 'La Bourse de Paris recule', scores: [{ annotator: 'tester', score: 0, time: '2026-03-01T09:00:00Z' }], time: '2026-03-01T09:00:00Z' },
    { id1: 'r2', id2: 's2', left: 'Élection municipale à Rouen : le maire sortant en tête', right: 'Municipales : la participation en hausse en Normandie', scores: [{ annotator: 'ben', score: 0.5, time: '2026-02-27T16:30:00Z' }], time: '2026-02-27T16:30:00Z' },    // long French articles, cut to the host's 400-character preview
    { id1: 'r3', id2: 's3', left: `${longFrenchText('r3', 399)}…`, right: `${longFrenchText('s3', 399)}…`, scores: [{ annotator: 'ana', score: 0.25, time: '2026-02-20T08:00:00Z', note: 'Deux villes normandes, deux budgets : même région, sujets voisins mais distincts ; à revoir avec l’équipe.' }, { annotator: 'ben', score: 0.75, time: '2026-02-21T08:00:00Z' }], time: '2026-02-21T08:00:00Z' },
  ];
  return {
    session: {
      annotator: 'tester',
      rubric: [
        { score: 0, label: 'Unrelated', description: 'Nothing in common.' },
        { score: 0.25, label: 'Broad topic', description: 'Same broad topic or region.' },
        { score: 0.5, label: 'Topic or country', description: 'Same topic, or same country.' },
        { score: 0.75, label: 'Topic and country', description: 'Same topic and same country.' },
        { score: 1, label: 'Same event', description: 'Same event or very narrow topic.' },
      ],
      strategy: 'nearest',
      progress: { annotated: 12, target: 200 },
      agreement: { pairs: 4, annotators: 3, meanAbsDiff: 0.19, alpha: 0.6123 },
      guidelines: { file: 'guidelines.md', text: GUIDELINES_FR },
      disagreementThreshold: 0.25,
    },
    pairs,
    disagreementPairs,
    review,
    // the agreement over all pairs the host sends with each save
    overallAfterSave: { pairs: 5, annotators: 3, meanAbsDiff: 0.2, alpha: 0.6543 },
  };
}

export function runsFixture() {
  const curve = (start, decay, steps) => Array.from({ length: steps }, (_, s) => ({ step: s * 10, value: start * Math.exp(-decay * s) + 0.2 }));
  // a noisy curve, so that smoothing visibly changes it
  const noisy = (start, decay, steps, scale) => curve(start, decay, steps).map((p, s) => ({ step: p.step, value: (p.value + 0.35 * Math.sin(s * 2.3)) * scale }));
  return {
    runs: [
      {
        id: 'run-a', name: 'MNR · head · 6 ep · lr 2e-5 · 20 Nov 10:00', defaultName: 'MNR · head · 6 ep · lr 2e-5 · 20 Nov 10:00', named: false, tags: [], notes: '',
        status: 'completed', createdAt: '2026-11-20T10:00:00Z', durationMs: 184_000,
        config: { loss: 'mnr', mode: 'head', epochs: 6, batchSize: 16, lr: 2e-5, encoder: 'builtin', seed: 42, 'head.kind': 'skip-linear' },
        metrics: { spearman: 0.712, top10: 0.81, purity: 0.74, nmi: 0.52, ari: 0.41, silhouette: 0.18 },
        before: { spearman: 0.65, top10: 0.78 },
        curves: [{ name: 'loss', points: noisy(2.4, 0.09, 40, 1) }, { name: 'eval spearman', points: curve(-0.5, 0.1, 8).map((p) => ({ step: p.step * 5, value: 0.9 - p.value })) }],
        // The fake host's run map: trained on labels with every 10th record held out.
        mapSplit: { scope: 'held-out', every: 10 },
      },
      {
        id: 'run-b', name: 'Dépêches AFP : CoSENT avec un taux d’apprentissage plus élevé, résumé et titre concaténés', defaultName: 'CoSENT · head · 6 ep · lr 5e-5 · 21 Nov 09:30', named: true,
        tags: ['référence', 'français', 'titre+résumé'],
        notes: 'Comparer avec le MNR : la corrélation de Spearman progresse nettement sur les paires notées.\nÀ refaire avec 4 époques et un jeu d’évaluation plus grand (n < 30 aujourd’hui).',
        status: 'completed', createdAt: '2026-11-21T09:30:00Z', durationMs: 251_500,
        config: { loss: 'cosent', mode: 'head', epochs: 6, batchSize: 32, lr: 5e-5, encoder: 'builtin', seed: 42, 'head.kind': 'skip-linear', runner: 'builtin' },
        metrics: { spearman: 0.745, top10: 0.79, purity: 0.77, nmi: 0.55, ari: 0.44, silhouette: 0.21 },
        before: { spearman: 0.65, top10: 0.78 },
        curves: [{ name: 'loss', points: noisy(3.1, 0.12, 40, 40) }],
        // Trained on labels with a separate evaluation file: its map is measured on training labels.
        mapSplit: { scope: 'training' },
        evalOverlap: 1200,
      },
    ],
  };
}

/**
 * Five runs for "Group by": three CoSENT runs and two MNR runs with different seeds and learning
 * rates, long French names and notes, loss curves with different lengths and noise.
 */
export function groupedRunsFixture() {
  const loss = (start, decay, steps, phase) => Array.from({ length: steps }, (_, s) => ({ step: s * 10, value: start * Math.exp(-decay * s) + 0.2 + 0.08 * Math.sin(s * 1.7 + phase) }));
  const run = (id, name, loss_, lr, seed, spearman, nmi, curve, notes = '', tags = []) => ({
    id, name, defaultName: `${loss_ === 'mnr' ? 'MNR' : 'CoSENT'} · head · 4 ep · lr ${lr} · seed ${seed}`, named: true, tags, notes,
    status: 'completed', createdAt: '2026-11-22T10:00:00Z', durationMs: 120_000 + seed * 1000,
    config: { loss: loss_, mode: 'head', epochs: 4, lr, encoder: 'builtin', seed },
    metrics: { spearman, nmi }, before: { spearman: 0.65 },
    curves: [{ name: 'loss', points: curve }],
  });
  return {
    runs: [
      run('g-cos-1', 'CoSENT sur les dépêches régionales, titre et chapeau concaténés, graine 1', 'cosent', 2e-5, 1, 0.74, 0.55, loss(2.0, 0.1, 30, 0),
        'Première graine : la corrélation de Spearman progresse nettement sur les paires notées par les deux annotatrices.', ['référence']),
      {
        ...run('g-mnr-1', 'MNR sur les paires notées au-dessus du seuil de 0,8, graine 1', 'mnr', 2e-5, 1, 0.69, 0.5, loss(3.0, 0.08, 30, 1)),
        // what the engine writes in summary.json (notes) for a run on few annotations
        trainingNotes: [
          'scored pairs: the mnr loss treats every pair as a match, so only the pairs scored ≥ 0.8 train',
          'kept 41 of 112 training pairs (scored ≥ 0.8) and 9 of 24 held-out pairs',
          'not enough annotations yet (n < 30): the evaluation uses 9 held-out examples, so its metrics and early stopping mean little',
          'up to 10 epochs, stopping early after 2 evaluations without improvement; the best evaluation\'s model is kept',
        ],
      },
      run('g-cos-2', 'CoSENT sur les dépêches régionales, titre et chapeau concaténés, graine 2', 'cosent', 2e-5, 2, 0.7, 0.51, loss(2.2, 0.11, 25, 2)),
      run('g-cos-3', 'CoSENT avec un taux d’apprentissage plus élevé, graine 3', 'cosent', 5e-5, 3, 0.75, 0.58, loss(2.4, 0.14, 30, 3)),
      run('g-mnr-2', 'MNR sur les paires notées au-dessus du seuil de 0,8, graine 2', 'mnr', 2e-5, 2, 0.67, 0.47, loss(2.8, 0.07, 30, 4),
        'Le MNR ignore les notes : à garder seulement comme point de comparaison, pas comme modèle par défaut.'),
    ],
  };
}

/** A French news paragraph repeated to `chars` characters: long articles for the annotation layout. */
export function longFrenchText(seed, chars = 3600) {
  const sentences = [
    `Le conseil municipal de Rouen s'est réuni jeudi soir pour examiner le budget (${seed}).`,
    "Les élus ont débattu pendant plus de trois heures de la rénovation des écoles et de la piscine du quartier Saint-Sever.",
    "Selon l'adjoint aux finances, l'enveloppe consacrée aux travaux atteindra 12 millions d'euros sur trois ans, un effort inédit pour la ville.",
    "L'opposition a dénoncé un calendrier trop serré et réclamé une concertation avec les parents d'élèves avant le début du chantier.",
    "Le maire a promis une réunion publique au printemps et rappelé que les subventions de la région couvriraient près d'un tiers de la dépense.",
  ];
  let out = '';
  for (let i = 0; out.length < chars; i++) out += (out ? ' ' : '') + sentences[i % sentences.length];
  return out;
}

/** The annotation fixture with long French articles on both sides. */
export function longAnnotateFixture() {
  const f = annotateFixture();
  f.pairs = f.pairs.map((p, k) => ({
    ...p,
    left: { ...p.left, fields: [{ name: 'title', value: `Rouen : le budget des écoles en débat (${k})` }, { name: 'summary', value: longFrenchText(`a${k}`) }] },
    right: { ...p.right, fields: [{ name: 'title', value: `Le Havre investit dans ses piscines (${k})` }, { name: 'summary', value: longFrenchText(`b${k}`, 4200) }] },
  })).map((p) => withShared(p, ['budget', 'écoles', 'piscine', 'élus', 'région', 'conseil', 'municipal']));
  return f;
}
