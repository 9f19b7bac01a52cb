import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyCleaning, previewCleaning, prepareRules, cleaningRules, findCleaningRule } from '../../../src/engine/data/cleaning/index';
import type { CleaningRuleSpec } from '../../../src/engine/data/cleaning/index';
import { InputError } from '../../../src/engine/util/errors';

/** Runs one transform rule on one text. */
function run(spec: CleaningRuleSpec, text: string): string {
  const [p] = prepareRules([spec]);
  assert.equal(p.step.kind, 'transform');
  return p.step.kind === 'transform' ? p.step.transform(text) : text;
}

test('every rule has an id, a description and documented options', () => {
  const ids = new Set<string>();
  for (const r of cleaningRules) {
    assert.match(r.id, /^[a-z-]+$/);
    assert.ok(!ids.has(r.id));
    ids.add(r.id);
    assert.ok(r.description.length > 20, r.id);
  }
});

test('dates (inline: true): French formats anywhere in the text', () => {
  const d = { rule: 'dates', options: { inline: true } };
  assert.equal(run(d, 'Réunion le 12/03/2024 à la mairie.'), 'Réunion le à la mairie.');
  assert.equal(run(d, 'Article publié le 3 mars 2024 par la rédaction'), 'Article publié le par la rédaction');
  assert.equal(run(d, 'Rendez-vous lundi 4 mars à 14h30 place du Vieux-Marché'), 'Rendez-vous à place du Vieux-Marché');
  assert.equal(run(d, 'Le 1er janvier, les pompiers'), 'Le, les pompiers');
  assert.equal(run(d, 'vers 9 h 15, puis à 18 heures'), 'vers, puis à');
  assert.equal(run(d, 'depuis février 2023 et le 12.03.24'), 'depuis et le');
  assert.equal(run(d, 'Texte mis à jour 2024-03-12T08:15:00Z'), 'Texte mis à jour');
});

test('dates (inline: true): English formats anywhere in the text', () => {
  const d = { rule: 'dates', options: { inline: true } };
  assert.equal(run(d, 'It was posted March 3, 2024 at 2:30 pm by staff'), 'It was posted at by staff');
  assert.equal(run(d, 'On Monday, 4th of March the council met at 9am.'), 'On the council met at.');
  assert.equal(run(d, 'Prices updated Sept. 12 2023 10:45'), 'Prices updated');
  assert.equal(run(d, 'In January 2020 sales rose'), 'In sales rose');
});

test('dates: leaves ordinary numbers and words alone, in both modes', () => {
  for (const d of [{ rule: 'dates' }, { rule: 'dates', options: { inline: true } }]) {
  const keep = [
    'Le maire a 45 ans et 3 enfants.',
    'She may attend; the march was long.',
    'Score 3-1 after 90 minutes, 4 hours later',
    'La D76 est fermée entre Rouen et Dieppe.',
    'Il a marché 12 km.',
    'Q1H results beat forecasts; 1H profit rose',
    'She won the 100m in 1:00.50, ahead of the field.',
  ];
  for (const t of keep) assert.equal(run(d, t), t);
  }
});

test('dates (default): dates and hours inside sentences stay', () => {
  const d = { rule: 'dates' };
  const keep = [
    'Le journal a paru le 3 juillet 1869, sur sa première page, un appel aux lecteurs.',
    'le 3 juillet 1869, sur sa première page',
    'La piscine est ouverte de 8 heures à 23 heures.',
    'de 8 heures à 23 heures',
    'Le 1er janvier, les pompiers sont intervenus à 14h30 rue Jeanne-d’Arc.',
    'Réunion le 12/03/2024 à la mairie.',
    'The council met on Monday, March 4, at 9am and voted in January 2020.',
    'Rendez-vous lundi 4 mars à 14h30 place du Vieux-Marché',
    'Il est né en mars 1950. Il a vécu à Rouen.',
  ];
  for (const t of keep) assert.equal(run(d, t), t);
});

test('dates (default): datelines, publication stamps and bylines at the start or end go', () => {
  const d = { rule: 'dates' };
  const body = 'Le conseil municipal a voté le budget.';
  // publication stamps, French and English, at the start or end
  assert.equal(run(d, `Publié le 3 mars 2024 à 14h30\n${body}`), body);
  assert.equal(run(d, `Publié le 03/03/2024 à 14:30, mis à jour le 04/03/2024 à 08:12 ${body}`), body);
  assert.equal(run(d, `${body}\nMis à jour le 4 mars 2024 à 8h12`), body);
  assert.equal(run(d, `${body} Publié le lundi 4 mars 2024 à 10h00.`), body);
  assert.equal(run(d, 'Published on March 3, 2024 at 2:30 pm\nThe bridge reopens.'), 'The bridge reopens.');
  assert.equal(run(d, 'The bridge reopens. Updated March 4, 2024 10:45 GMT'), 'The bridge reopens.');
  assert.equal(run(d, 'Updated: 2024-03-12T08:15:00Z\nThe bridge reopens.'), 'The bridge reopens.');
  // datelines
  assert.equal(run(d, `ROUEN, 3 juillet 2024 (AFP) - ${body}`), body);
  assert.equal(run(d, `Rouen, le 12 mars 2024 – ${body}`), body);
  assert.equal(run(d, 'LONDON, March 3 (Reuters) - Shares rose.'), 'Shares rose.');
  assert.equal(run(d, 'BAGHDAD, Iraq, Aug. 17 - A delegation was delayed.'), 'A delegation was delayed.');
  assert.equal(run(d, 'NEW YORK (Reuters) - Shares rose.'), 'Shares rose.');
  assert.equal(run(d, 'AP - A company won a grant.'), 'A company won a grant.');
  assert.equal(run(d, 'A company won a grant. Aug 17'), 'A company won a grant.');
  // bylines
  assert.equal(run(d, `Par Jean Dupont\n${body}`), body);
  assert.equal(run(d, `Par Jean Dupont et Marie Martin - ${body}`), body);
  assert.equal(run(d, 'By John Smith, Reuters\nThe bridge reopens.'), 'The bridge reopens.');
  assert.equal(run(d, `${body}\nPar Jean-Pierre de La Fontaine`), body);
  assert.equal(run(d, 'The bridge reopens.\nBy John Smith, Reuters'), 'The bridge reopens.');
  assert.equal(run(d, `Par Jean Dupont\nPublié le 3 mars 2024 à 14h30\n${body}`), body);
  assert.equal(run(d, 'ANAHEIM, Calif. (Sports Network) - The Angels won.'), 'The Angels won.');
  // a dateline after a first sentence (a title) is not at the start: the title is never eaten
  for (const t of ['Apple Launches Graphics Software, Video Bundle. LOS ANGELES (Reuters) - Apple shipped.', 'CHUCK JAFFE. BOSTON (CBS.MW) -- A lot of people.'])
    assert.equal(run(d, t), t);
  // a sentence that merely starts like a byline or a stamp stays
  for (const t of ['Par ailleurs, le maire a parlé.', 'By Monday the road was open.', 'Par Paris passe la Seine, dit-il.', 'Publié le roman a connu un succès.'])
    assert.equal(run(d, t), t);
});

test('dates and phones are off by default (they can cut text inside sentences); every description says whether a rule is on by default', () => {
  const on = cleaningRules.filter((r) => r.defaultOn).map((r) => r.id);
  assert.ok(!on.includes('phones'));
  assert.ok(on.includes('dates'), 'the default dates rule only touches boilerplate at the start or end');
  assert.ok(on.includes('whitespace'));
  for (const r of cleaningRules) assert.match(r.description, r.defaultOn ? /On by default/ : /Off by default/, r.id);
  const inline = findCleaningRule('dates')!.options.find((o) => o.name === 'inline');
  assert.equal(inline?.default, false);
});

test('patterns: regional codes S56, D76, F3 with a user regex', () => {
  const p = { rule: 'patterns', options: { patterns: ['\\b[SDF]\\d{1,2}\\b'] } };
  assert.equal(run(p, 'S56 Accident sur la D76 près de F3 à Dieppe'), 'Accident sur la près de à Dieppe');
  assert.equal(run(p, 'SD76 et S123 restent'), 'SD76 et S123 restent');
  assert.throws(() => prepareRules([{ rule: 'patterns', options: { patterns: ['(unclosed'] } }]), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.match((e as Error).message, /cleaning\[0\]\.options\.patterns\[0\]/);
    return true;
  });
  assert.throws(() => prepareRules([{ rule: 'patterns', options: { patterns: ['x*'] } }]), /empty string/);
});

test('emails, phones and urls, French and English', () => {
  assert.equal(run({ rule: 'emails' }, 'Écrire à jean.dupont@mairie-rouen.fr pour tout renseignement.'), 'Écrire à pour tout renseignement.');
  assert.equal(run({ rule: 'emails' }, 'Contact: mailto:press@example.co.uk, thanks'), 'Contact:, thanks');
  const ph = { rule: 'phones' };
  assert.equal(run(ph, 'Appelez le 02 35 12 34 56 ou le 06.12.34.56.78.'), 'Appelez le ou le.');
  assert.equal(run(ph, 'Tél. : +33 6 12 34 56 78 (standard)'), 'Tél. : (standard)');
  assert.equal(run(ph, 'Call +44 20 7946 0958 or (212) 555-0123 today'), 'Call or today');
  assert.equal(run(ph, 'En 2024, 1 250 000 habitants et 12/03/2024'), 'En 2024, 1 250 000 habitants et 12/03/2024');
  assert.equal(run({ rule: 'urls' }, 'Voir https://www.paris-normandie.fr/actu?id=3. Et www.example.com!'), 'Voir. Et !');
  assert.equal(run({ rule: 'urls' }, 'More at http://bbc.co.uk/news/123, then (see https://x.org/a_b)'), 'More at, then (see)');
});

test('phones: real numbers in many formats go', () => {
  const ph = { rule: 'phones' };
  const numbers = [
    '02 35 12 34 56',
    '06.12.34.56.78',
    '06-12-34-56-78',
    '0612345678',
    '+33 6 12 34 56 78',
    '+33 (0)2 35 12 34 56',
    '0033 1 23 45 67 89',
    '+44 20 7946 0958',
    '+1 212 555 0123',
    '(212) 555-0123',
    '212-555-0123',
    '212.555.0123',
    '+49 30 12345678',
    '+221 33 889 12 34',
  ];
  for (const n of numbers) assert.equal(run(ph, `Renseignements au ${n} ou sur place.`), 'Renseignements au ou sur place.', n);
  // numbers without a national grouping need a phone word nearby
  assert.equal(run(ph, 'Tél. : 77 123 45 67 (standard)'), 'Tél. : (standard)');
  assert.equal(run(ph, 'Phone: 212 555 0123, fax 212 555 0199.'), 'Phone:, fax.');
  assert.equal(run(ph, 'Pour joindre la mairie, téléphone 33 889 12 34.'), 'Pour joindre la mairie, téléphone.');
  assert.equal(run(ph, 'Contact Miriam at 781-442-0750 for details.'), 'Contact Miriam at for details.');
});

test('phones: amounts, populations and other numbers stay', () => {
  const ph = { rule: 'phones' };
  const keep = [
    'Le projet coûte un milliard (1 008 978 400 FCFA) selon le ministère.',
    '(1 008 978 400 FCFA)',
    'Un budget de 12 345 678 euros et 2 450 000 habitants.',
    'Le contrat vaut 1 250 000 000 F CFA, soit 1 905 000 €.',
    'Revenue was $1 234 567 890 and 12 345 678 USD.',
    'The road is 12 345 678 km long, 100 000 000 people.',
    'Le téléphone coûte 1 200 000 FCFA au marché.',
    'Scores: 2004 2005 2006 2007, ISBN 978 2 07 036024 5.',
    'Le 12 03 2024, 45 000 spectateurs.',
  ];
  for (const t of keep) assert.equal(run(ph, t), t);
});

test('signoffs: cuts from the closing formula to the end (French)', () => {
  const s = { rule: 'signoffs' };
  assert.equal(
    run(s, 'Bonjour,\nLa route est coupée à Yvetot.\nCordialement,\nJean Dupont\nMairie de Rouen\n02 35 00 00 00'),
    'Bonjour,\nLa route est coupée à Yvetot.',
  );
  assert.equal(run(s, 'Merci de publier ce communiqué. Bien à vous, Marie'), 'Merci de publier ce communiqué.');
  assert.equal(run(s, "La fête aura lieu samedi.\nBonne journée\n\nEnvoyé de mon iPhone"), 'La fête aura lieu samedi.');
  assert.equal(
    run(s, 'Voici le texte.\n\nLe lun. 4 mars 2024 à 10:00, Paul <p@x.fr> a écrit :\n> ancien message'),
    'Voici le texte.',
  );
  // a formula inside a sentence is content, not a sign-off
  const keep = 'Le maire a souhaité une bonne journée à tous les habitants présents.';
  assert.equal(run(s, keep), keep);
  const keep2 = 'La fête est finie. Bonne journée à tous ceux qui ont aidé.';
  assert.equal(run(s, keep2), keep2);
  assert.equal(run(s, 'Merci pour votre aide. Bien cordialement. Paul'), 'Merci pour votre aide.');
});

test('signoffs: English sign-offs and mail layout', () => {
  const s = { rule: 'signoffs' };
  assert.equal(run(s, 'The bridge reopens Monday.\n\nBest regards,\nJohn Smith\nCity Hall'), 'The bridge reopens Monday.');
  assert.equal(run(s, 'See attached report. Kind regards, Ann'), 'See attached report.');
  assert.equal(run(s, 'Quick update on the vote.\nSent from my iPhone'), 'Quick update on the vote.');
  assert.equal(run(s, 'Agreed.\n-----Original Message-----\nFrom: Bob\nSent: Monday'), 'Agreed.');
  assert.equal(run(s, 'Short answer.\n> quoted line\n> another'), 'Short answer.');
  const crowd = 'The crowd cheers. Cheers erupted again as the home team scored late.';
  assert.equal(run(s, crowd), crowd);
  assert.equal(run(s, 'Le texte.\nEnvoyé de mon iPhone'), 'Le texte.');
  const long = 'Regards to the family were sent. ' + 'The story goes on for a very long time indeed. '.repeat(10);
  assert.equal(run(s, long), long);
});

test('whitespace: odd spaces, zero-width characters, NFC', () => {
  const w = { rule: 'whitespace' };
  assert.equal(run(w, '  Le\u00a0maire\u202f:\tbonjour\u200b\n\n  à   tous '), 'Le maire : bonjour à tous');
  assert.equal(run(w, 'Cafe\u0301'), 'Café');
  assert.equal(run({ rule: 'whitespace', options: { keepNewlines: true } }, 'a  b \n c\n\n\n\nd'), 'a b\nc\n\nd');
});

test('html-entities: references decoded, also the ampersand-less ones of AG News; invalid and unknown ones kept; on by default', () => {
  const e = { rule: 'html-entities' };
  assert.equal(findCleaningRule('html-entities')!.defaultOn, true);
  // AG News as it is (the "&" became a space).
  assert.equal(run(e, "Eriksson doesn #39;t feel any pressure"), "Eriksson doesn't feel any pressure");
  assert.equal(run(e, 'Man Sought  #36;50M From McGraw'), 'Man Sought $50M From McGraw');
  assert.equal(run(e, ' quot;It hurt like hell, quot; he said.'), '"It hurt like hell," he said.');
  assert.equal(run(e, 'Texas Instruments Inc. &lt;TXN.N&gt;, and AT&amp;T'), 'Texas Instruments Inc. <TXN.N>, and AT&T');
  assert.equal(run(e, 'Le march&eacute; de No&euml;l &#8212; &#x2019;tis &#151; done'), 'Le marché de Noël — ’tis — done');
  // Left alone: no reference, an unknown name, a control character, a code past Unicode, prose with a hash.
  for (const t of ['Issue #12 is fixed; see #13.', 'R&D; &bogus; here', 'a &#0; b &#1; c', '&#1114112; x', 'Room 5; lt. Smith'])
    assert.equal(run(e, t), t);
  // Decoded once: "&amp;lt;" is the text "&lt;", not "<".
  assert.equal(run(e, '&amp;lt;b&amp;gt;'), '&lt;b&gt;');
});

test('min-words removes short and empty texts with a reason', async () => {
  const recs = [
    { id: 'a', text: 'Un accident sur la D76 ce matin' },
    { id: 'b', text: 'Trop court' },
    { id: 'c', text: '  ' },
    { id: 'd', text: 'Three words here' },
  ];
  const { records, report } = await applyCleaning(recs, [{ rule: 'min-words', options: { min: 3 } }]);
  assert.deepEqual(records.map((r) => r.id), ['a', 'd']);
  assert.equal(report.rules[0].removed, 2);
  assert.deepEqual(report.removed.map((r) => [r.id, r.reason]), [
    ['b', '2 words, fewer than 3'],
    ['c', 'empty text'],
  ]);
});

test('exact duplicates: ignores case and spacing, keeps the first', async () => {
  const recs = [
    { id: '1', text: 'Fermeture de la D76' },
    { id: '2', text: 'fermeture  de la d76 ' },
    { id: '3', text: 'Ouverture de la D76' },
    { id: '4', text: 'Fermeture de la D76' },
  ];
  const { records, report } = await applyCleaning(recs, [{ rule: 'dedupe-exact' }]);
  assert.deepEqual(records.map((r) => r.id), ['1', '3']);
  assert.deepEqual(report.removed.map((r) => r.reason), ['duplicate of 1', 'duplicate of 1']);
  const cs = await applyCleaning(recs, [{ rule: 'dedupe-exact', options: { caseSensitive: true } }]);
  assert.deepEqual(cs.records.map((r) => r.id), ['1', '2', '3']);
});

test('near duplicates: Jaccard of word 3-grams over the threshold, deterministic', async () => {
  const base =
    'Un incendie a ravagé un entrepôt de la zone industrielle de Saint-Étienne-du-Rouvray dans la nuit de samedi à dimanche, sans faire de blessés selon les pompiers';
  const recs = [
    { id: 'a', text: base },
    { id: 'b', text: base + ' du SDIS.' }, // 1 new 3-gram pair: Jaccard ≈ 0.93
    { id: 'c', text: base.replace('samedi à dimanche', 'vendredi à samedi') }, // several 3-grams differ
    { id: 'd', text: 'Le conseil municipal de Dieppe a voté le budget 2024 à l’unanimité lors de sa séance de jeudi soir.' },
  ];
  const r1 = await applyCleaning(recs, [{ rule: 'dedupe-near', options: { threshold: 0.8 } }]);
  assert.deepEqual(r1.records.map((r) => r.id), ['a', 'c', 'd']);
  assert.equal(r1.report.removed[0].reason, 'duplicate of a');
  const r2 = await applyCleaning(recs, [{ rule: 'dedupe-near', options: { threshold: 0.6 } }]);
  assert.deepEqual(r2.records.map((r) => r.id), ['a', 'd']);
  const again = await applyCleaning(recs, [{ rule: 'dedupe-near', options: { threshold: 0.6 } }]);
  assert.deepEqual(again.records, r2.records);
});

test('previewCleaning counts per rule with before/after examples; rules run in order', async () => {
  const recs = [
    { id: '1', text: 'Accident le 12/03/2024 sur la D76. Contact : presse@sdis76.fr\nCordialement,\nLe SDIS' },
    { id: '2', text: 'Accident le 12/03/2024 sur la D76. Contact : autre@sdis76.fr' },
    { id: '3', text: 'Rien à signaler' },
  ];
  const rules: CleaningRuleSpec[] = [
    { rule: 'signoffs' },
    { rule: 'emails' },
    { rule: 'dates', options: { inline: true } },
    { rule: 'whitespace' },
    { rule: 'min-words', options: { min: 4 } },
    { rule: 'dedupe-exact' },
  ];
  const report = await previewCleaning(recs, rules, { examples: 1 });
  assert.deepEqual(
    report.rules.map((r) => [r.rule, r.changed, r.removed]),
    [
      ['signoffs', 1, 0],
      ['emails', 2, 0],
      ['dates', 2, 0],
      ['whitespace', 0, 0],
      ['min-words', 0, 1],
      ['dedupe-exact', 0, 1],
    ],
  );
  assert.equal(report.rules[1].examples.length, 1);
  assert.deepEqual(report.rules[1].examples[0], {
    id: '1',
    before: 'Accident le 12/03/2024 sur la D76. Contact : presse@sdis76.fr',
    after: 'Accident le 12/03/2024 sur la D76. Contact :',
    // " presse@sdis76.fr" starts after "… Contact :" (44 characters) and runs to the end (61).
    removed: [[44, 61]],
    inserted: [],
    beforeGaps: [],
    afterGaps: [],
  });
  assert.equal(report.input, 3);
  assert.equal(report.output, 1);
  const applied = await applyCleaning(recs, rules);
  assert.deepEqual(applied.records, [{ id: '1', text: 'Accident le sur la D76. Contact :' }]);
  assert.deepEqual(applied.report.rules, report.rules.map((r) => ({ ...r, examples: applied.report.rules.find((x) => x.rule === r.rule)!.examples })));
});

test('bad rule specs name the field', () => {
  assert.throws(() => prepareRules([{ rule: 'dates' }, { rule: 'nope' }]), /cleaning\[1\]\.rule.*unknown rule "nope"/);
  assert.throws(() => prepareRules([{ rule: 'min-words', options: { min: 'x' } }]), /cleaning\[0\]\.options\.min/);
  assert.throws(() => prepareRules([{ rule: 'dates', options: { wat: 1 } }]), /cleaning\[0\]\.options\.wat.*unknown option/);
});
