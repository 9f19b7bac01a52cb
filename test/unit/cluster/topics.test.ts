import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  classTermCounts,
  classTfidf,
  clusterKeywords,
  keywordScores,
  keywordsFromTerms,
  numberTerms,
  selectKeywords,
  topicTerms,
} from '../../../src/engine/cluster/topics';
import { STOP_WORDS } from '../../../src/engine/cluster/stopwords';
import { corpusTermIds, corpusTerms, decodeEntities, splitBoilerplate } from '../../../src/engine/cluster/topic-terms';

const NO_STOP_WORDS: ReadonlySet<string> = new Set();

test('c-TF-IDF on a hand-checked corpus', () => {
  // Cluster 0: "cat" ×3, "dog" ×1 (4 terms); cluster 1: "dog" ×1, "fish" ×3 (4 terms).
  // A = trunc(8 / 2) = 4; f(cat) = 3, f(dog) = 2, f(fish) = 3.
  // W(cat, 0) = 3/4 · ln(1 + 4/3) ≈ 0.6355; W(dog, 0) = 1/4 · ln(1 + 4/2) ≈ 0.2747.
  const texts = ['the cat', 'a cat and a dog', 'cat', 'fish', 'the fish and the dog', 'fish', 'noise words here'];
  const labels = [0, 0, 0, 1, 1, 1, -1];
  const counts = classTermCounts(corpusTerms(texts, { stopWords: new Set(['the', 'and']), bigrams: false }), labels, 1);
  assert.deepEqual(counts.clusters, [0, 1]);
  assert.deepEqual(counts.sizes, [3, 3]);
  const w = classTfidf(counts);
  assert.ok(Math.abs(w[0].get('cat')! - 0.75 * Math.log(1 + 4 / 3)) < 1e-12);
  assert.ok(Math.abs(w[0].get('dog')! - 0.25 * Math.log(3)) < 1e-12);
  // "dog" is as common in cluster 1 as in cluster 0: no keyword of either.
  const topics = clusterKeywords(texts, labels, { bigrams: false, minDf: 1 });
  assert.deepEqual(topics[0].keywords, ['cat']);
  assert.deepEqual(topics[1].keywords, ['fish']);
  assert.equal(topics[0].size, 3);
});

test('term counts per cluster: minimum document frequency, noise left out, terms in order of first occurrence', () => {
  const docs = [['b', 'a', 'b'], ['c', 'a'], ['a', 'd'], ['d', 'b'], ['e', 'c']];
  const counts = classTermCounts(docs, [1, -1, 0, 1, 0], 2);
  assert.deepEqual(counts.clusters, [0, 1]);
  assert.deepEqual(counts.sizes, [2, 2]);
  // "e" is in one text only; the noise text still counts for the document frequency of "c".
  assert.deepEqual([...counts.counts[0]], [['a', 1], ['d', 1], ['c', 1]]);
  assert.deepEqual([...counts.counts[1]], [['b', 3], ['a', 1], ['d', 1]]);
  assert.deepEqual([...counts.total], [['b', 3], ['a', 2], ['d', 2], ['c', 1]]);
});

test('keywords from the terms found (and numbered) beforehand equal the keywords from the texts', () => {
  const texts = ['Oil prices rise', 'Oil prices fall again', 'The team wins the cup', 'Cup final: team loses', 'Prices of oil', 'A team, a cup'];
  const labels = [0, 0, 1, 1, 0, 1];
  const options = { topN: 3, minDf: 1 };
  const expected = clusterKeywords(texts, labels, options);
  assert.deepEqual(keywordsFromTerms(topicTerms(texts, options), labels, options), expected);
  assert.deepEqual(keywordsFromTerms(numberTerms(topicTerms(texts, options)), labels, options), expected);
});

test('numbered corpus terms are the corpus terms numbered in order of first occurrence, phrases included', () => {
  const texts = ['AFP - AFP AFP talks resumed in Paris', "Paris talks: l'homme d’affaires <b>resumed</b> talks", 'www.example.com talks Paris talks', ''];
  for (const bigrams of [true, false]) {
    const options = { stopWords: STOP_WORDS, bigrams };
    const ids = corpusTermIds(texts, options);
    const strings = corpusTerms(texts, options);
    assert.deepEqual(ids.docs.map((d) => Array.from(d, (id) => ids.terms[id])), strings);
    assert.deepEqual(ids, numberTerms(strings));
  }
});

interface SklearnFixture {
  texts: string[];
  labels: number[];
  clusters: number[];
  terms: string[];
  counts: number[][];
  ctfidf: number[][];
  ctfidfReduceFrequentWords: number[][];
}

test('raw c-TF-IDF equals scikit-learn CountVectorizer + BERTopic formula (fixture)', () => {
  const fx = JSON.parse(readFileSync(new URL('../../fixtures/cluster/ctfidf-sklearn.json', import.meta.url), 'utf8')) as SklearnFixture;
  const counts = classTermCounts(corpusTerms(fx.texts, { stopWords: NO_STOP_WORDS, bigrams: true }), fx.labels, 1);
  assert.deepEqual(counts.clusters, fx.clusters);
  assert.deepEqual([...counts.total.keys()].sort(), [...fx.terms].sort());
  const raw = classTfidf(counts);
  const ranked = keywordScores(counts);
  const all = fx.counts.flat().reduce((a, b) => a + b, 0);
  fx.clusters.forEach((_, k) => {
    const n = fx.counts[k].reduce((a, b) => a + b, 0);
    fx.terms.forEach((term, j) => {
      assert.equal(counts.counts[k].get(term) ?? 0, fx.counts[k][j], `count of "${term}" in cluster ${k}`);
      assert.ok(Math.abs((raw[k].get(term) ?? 0) - fx.ctfidf[k][j]) < 1e-12, `c-TF-IDF of "${term}" in cluster ${k}`);
      // The ranking score is BERTopic's reduce_frequent_words c-TF-IDF times the distinctiveness.
      const here = fx.counts[k][j] / n;
      const total = fx.counts.reduce((s, row) => s + row[j], 0);
      const d = here > 0 ? Math.max(0, 1 - (total - fx.counts[k][j]) / (all - n) / here) : 0;
      const expected = fx.ctfidfReduceFrequentWords[k][j] * d;
      assert.ok(Math.abs((ranked[k].get(term) ?? 0) - expected) < 1e-12, `score of "${term}" in cluster ${k}`);
    });
  });
});

test('no keyword is a word of another keyword: the phrase rule', () => {
  const s = (entries: [string, number][]): Map<string, number> => new Map(entries);
  const terms = (c: { term: string }[]): string[] => c.map((x) => x.term);
  const n = s([['burkina faso', 40], ['burkina', 41], ['faso', 40], ['coup', 30], ['army', 10], ['oil', 100], ['crude', 40], ['oil prices', 30], ['opec', 20], ['red sox', 30], ['white sox', 10], ['sox', 40]]);
  // The phrase ranks first: its words are skipped.
  assert.deepEqual(terms(selectKeywords(s([['burkina faso', 3], ['burkina', 2.9], ['faso', 2.8], ['coup', 2]]), n, 3, 0.5)), ['burkina faso', 'coup']);
  // Both words rank above the phrase, which holds nearly all their occurrences: the phrase
  // takes their place, with the better score of the two.
  const close = selectKeywords(s([['burkina', 3], ['coup', 2.9], ['faso', 2.8], ['burkina faso', 2.7], ['army', 1]]), n, 3, 0.5);
  assert.deepEqual(terms(close), ['burkina faso', 'coup', 'army']);
  assert.equal(close[0].score, 3);
  // The word mostly stands outside the phrase: the word stays, the phrase is left out.
  assert.deepEqual(terms(selectKeywords(s([['oil', 10], ['crude', 5], ['oil prices', 4], ['opec', 3]]), n, 3, 0.5)), ['oil', 'crude', 'opec']);
  // Two phrases sharing a word are both kept (neither is a part of the other); the word,
  // taken by the first, is not.
  assert.deepEqual(terms(selectKeywords(s([['sox', 4], ['red sox', 3], ['white sox', 2]]), n, 3, 0.5)), ['red sox', 'white sox']);
});

test('markup, entities, URLs and wire credits are boilerplate', () => {
  assert.equal(decodeEntities('a &lt;b&gt; &amp;amp; #39;s quot;x quot; &#36;5'), 'a <b> & \'s "x " $5');
  const parts = splitBoilerplate(
    ' NEW YORK (Reuters) - Staples Inc. &lt;A HREF="http://www.investor.reuters.com/FullQuote.aspx?ticker=SPLS.O target=/stocks/quickinfo/fullquote"&gt;SPLS.O&lt;/A&gt; rose. See Amazon.com today.',
  );
  assert.deepEqual(parts.boilerplate.filter((t) => ['reuters', 'href', 'fullquote', 'aspx', 'quickinfo', 'www', 'com'].includes(t)).sort(), [
    'aspx',
    'com',
    'com',
    'fullquote',
    'fullquote',
    'href',
    'quickinfo',
    'reuters',
    'reuters',
    'www',
  ]);
  const plain = parts.pieces.join(' ');
  assert.match(plain, /NEW YORK/);
  assert.match(plain, /Staples Inc/);
  assert.match(plain, /Amazon/);
  assert.doesNotMatch(plain, /Reuters|href|aspx|\.com/i);
  // A word found mostly inside boilerplate is dropped everywhere; one mostly in plain text stays.
  const docs = corpusTerms(['AFP - Talks resumed in Paris', 'AFP - Paris talks', 'The AFP agency reported'], {
    stopWords: NO_STOP_WORDS,
    bigrams: false,
  });
  assert.ok(!docs.flat().includes('afp'));
  assert.ok(docs.flat().includes('paris'));
  assert.ok(docs.flat().includes('agency'));
});

test('a word repeated next to itself (bylines like "AFP - AFP") makes no bigram', () => {
  const texts = ['Oil prices rose, Opec Opec said', 'Oil prices fell', 'The football match', 'The football final'];
  const topics = clusterKeywords(texts, [0, 0, 1, 1], { minDf: 1 });
  assert.ok(topics[0].keywords.includes('oil prices'));
  assert.ok(!topics[0].keywords.includes('opec opec'));
});

interface NewsRow {
  title: string;
  description: string;
  label: string;
}

test('AG News (2,000 items, clustered by topic): no boilerplate in any top 5, sensible keywords', () => {
  const rows = readFileSync(new URL('../../fixtures/cluster/ag-news-topics-2000.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as NewsRow);
  const names = [...new Set(rows.map((r) => r.label))].sort();
  assert.deepEqual(names, ['Business', 'Sci/Tech', 'Sports', 'World']);
  const topics = clusterKeywords(
    rows.map((r) => `${r.title}. ${r.description}`),
    rows.map((r) => names.indexOf(r.label)),
  );
  const boilerplate = ['ap', 'reuters', 'afp', 'fullquote', 'aspx', 'href', 'quickinfo', 'quot', 'lt', 'gt', 'www', 'com', 'http'];
  const byName = new Map(topics.map((t) => [names[t.cluster], t.keywords]));
  for (const [name, keywords] of byName) {
    assert.equal(keywords.length, 10, name);
    for (const kw of keywords.slice(0, 5)) {
      for (const word of kw.split(' ')) assert.ok(!boilerplate.includes(word), `${name}: "${kw}" in the top 5 (${keywords.join(', ')})`);
    }
    // No keyword is a word of another keyword of the same list.
    const phrases = keywords.filter((k) => k.includes(' '));
    for (const k of keywords) {
      if (!k.includes(' ')) assert.ok(!phrases.some((p) => p.split(' ').includes(k)), `${name}: "${k}" is part of a phrase (${keywords.join(', ')})`);
    }
  }
  const has = (name: string, words: string[]): void => {
    const top = byName.get(name)!;
    const found = words.filter((w) => top.some((k) => k.split(' ').includes(w)));
    assert.ok(found.length >= 2, `${name}: expected two of ${words.join(', ')} in ${top.join(', ')}`);
  };
  has('Sports', ['season', 'game', 'team', 'league', 'cup', 'win', 'coach', 'championship', 'victory']);
  has('Business', ['oil', 'profit', 'stocks', 'shares', 'percent', 'prices', 'earnings', 'billion']);
  has('Sci/Tech', ['microsoft', 'software', 'internet', 'space', 'computer', 'ibm', 'linux', 'apple']);
  has('World', ['iraq', 'killed', 'baghdad', 'president', 'minister', 'troops', 'iraqi', 'israel']);
});

test('French news: no word list needed, function words and the AFP credit stay out', () => {
  const texts = [
    // Économie
    'PARIS (AFP) - La Bourse de Paris a terminé en hausse et les valeurs bancaires ont profité de la remontée du pétrole.',
    "PARIS (AFP) - Le prix du pétrole a reculé mardi sur les marchés, et la Bourse de Paris est restée stable dans un volume faible.",
    "L'inflation a ralenti au premier trimestre selon une étude de l'Insee, une bonne nouvelle pour la Bourse et pour les banques.",
    'Les banques européennes publient des bénéfices en hausse malgré la baisse du pétrole et un euro fort.',
    'La Banque centrale européenne maintient ses taux et les marchés saluent la décision, la Bourse progresse.',
    'Le pétrole et le gaz pèsent sur les bénéfices des entreprises, selon les analystes de la Bourse.',
    // Sport
    "MARSEILLE (AFP) - L'Olympique de Marseille a battu Lyon au stade Vélodrome dans un match à rebondissements et la foule a chanté.",
    'Le Paris Saint-Germain remporte le championnat après un match nul contre Lille, et les supporters envahissent le stade.',
    "PARIS (AFP) - L'équipe de France de rugby prépare le match du Tournoi des six nations au stade de France avec un nouveau capitaine.",
    "Le cycliste français remporte l'étape du Tour de France et prend le maillot jaune devant le champion du monde.",
    "L'entraîneur de Lyon prépare le match de la Ligue des champions, et le championnat attendra une semaine.",
    "Le gardien du stade Vélodrome a arrêté un penalty en fin de match et l'équipe garde la tête du championnat.",
    // Politique
    "PARIS (AFP) - Le Premier ministre a présenté la réforme des retraites devant l'Assemblée nationale et les syndicats ont réagi.",
    "Les députés de l'Assemblée ont voté la loi sur les retraites après un long débat avec le gouvernement.",
    "Le président de la République a reçu les syndicats au palais de l'Élysée pour parler de la réforme et du budget.",
    "LYON (AFP) - Le gouvernement prépare un remaniement et le ministre de l'Intérieur reste en place selon une source.",
    'Les syndicats appellent à la grève contre la réforme des retraites du gouvernement, une journée de mobilisation.',
    "Le ministre du Travail défend la réforme des retraites devant les députés de l'Assemblée et promet un dialogue.",
  ];
  const labels = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2];
  const functionWords = ['la', 'le', 'les', 'de', 'des', 'du', 'un', 'une', 'et', 'au', 'en', 'pour', 'sur', 'afp'];
  for (const stopWords of [NO_STOP_WORDS, undefined]) {
    const topics = clusterKeywords(texts, labels, { topN: 5, stopWords });
    const words = topics.map((t) => t.keywords.flatMap((k) => k.split(' ')));
    for (const [k, t] of topics.entries()) {
      // Without a list, a function word may start a phrase of a tiny corpus ("en hausse"),
      // never stand as a keyword on its own; with the built-in list, never appear at all.
      const checked = stopWords === undefined ? words[k] : t.keywords;
      for (const w of checked) assert.ok(!functionWords.includes(w), `cluster ${k}: "${w}" in ${t.keywords.join(', ')}`);
    }
    assert.ok(words[0].includes('bourse') && words[0].includes('pétrole'), topics[0].keywords.join(', '));
    assert.ok(words[1].includes('match') && words[1].includes('stade'), topics[1].keywords.join(', '));
    assert.ok(words[2].includes('retraites') && words[2].includes('réforme'), topics[2].keywords.join(', '));
  }
});
