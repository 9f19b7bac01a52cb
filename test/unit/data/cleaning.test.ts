import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyCleaning, previewCleaning, prepareRules, cleaningRules } from '../../../src/engine/data/cleaning/index';
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

test('dates: French formats', () => {
  const d = { rule: 'dates' };
  assert.equal(run(d, 'Réunion le 12/03/2024 à la mairie.'), 'Réunion le à la mairie.');
  assert.equal(run(d, 'Publié le 3 mars 2024 par la rédaction'), 'Publié le par la rédaction');
  assert.equal(run(d, 'Rendez-vous lundi 4 mars à 14h30 place du Vieux-Marché'), 'Rendez-vous à place du Vieux-Marché');
  assert.equal(run(d, 'Le 1er janvier, les pompiers'), 'Le, les pompiers');
  assert.equal(run(d, 'vers 9 h 15, puis à 18 heures'), 'vers, puis à');
  assert.equal(run(d, 'depuis février 2023 et le 12.03.24'), 'depuis et le');
  assert.equal(run(d, 'Mis à jour 2024-03-12T08:15:00Z'), 'Mis à jour');
});

test('dates: English formats', () => {
  const d = { rule: 'dates' };
  assert.equal(run(d, 'Posted March 3, 2024 at 2:30 pm by staff'), 'Posted at by staff');
  assert.equal(run(d, 'On Monday, 4th of March the council met at 9am.'), 'On the council met at.');
  assert.equal(run(d, 'Updated Sept. 12 2023 10:45'), 'Updated');
  assert.equal(run(d, 'In January 2020 sales rose'), 'In sales rose');
});

test('dates: leaves ordinary numbers and words alone', () => {
  const d = { rule: 'dates' };
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
    { rule: 'dates' },
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
