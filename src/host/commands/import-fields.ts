/**
 * Which columns of a file to offer first when importing it. Pure (no `vscode`), so the quick picks and the tests share it.
 */

/** Column names that usually hold a class label (English and French), compared without case or accents. */
const LABEL_NAMES = ['label', 'labels', 'category', 'categories', 'class', 'topic', 'tag', 'tags', 'target', 'y', 'etiquette', 'categorie', 'classe', 'theme'];

/** Lower case, accents removed, surrounding spaces trimmed: "Étiquette " → "etiquette". */
function fold(name: string): string {
  return name.trim().toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

/**
 * The column most likely to be the label, or undefined when none looks like one. An exact name ("label", "Catégorie")
 * wins over a name that only ends with one ("news_category"); among equals, the earlier column wins.
 */
export function guessLabelField(fields: readonly string[]): string | undefined {
  const exact = fields.find((f) => LABEL_NAMES.includes(fold(f)));
  if (exact !== undefined) return exact;
  return fields.find((f) => {
    const words = fold(f).split(/[^a-z0-9]+/).filter(Boolean);
    const last = words[words.length - 1];
    return words.length > 1 && last !== undefined && last !== 'y' && LABEL_NAMES.includes(last);
  });
}

/** The label quick pick's entries: the guessed label column first (then "(no label)", then the rest), else "(no label)" first. */
export function labelFieldChoices(fields: readonly string[]): { label: string; field: string | undefined; description?: string }[] {
  const guess = guessLabelField(fields);
  const none = { label: '(no label)', field: undefined };
  const rest = fields.filter((f) => f !== guess).map((f) => ({ label: f, field: f }));
  if (guess === undefined) return [none, ...rest];
  return [{ label: guess, field: guess, description: 'looks like a label column' }, none, ...rest];
}

/** True for a column that usually holds text to embed (English and French names): preselected in the text-fields pick. */
export function isTextLikeField(name: string): boolean {
  return /title|text|summary|description|body|sentence|content|titre|texte|resume|contenu|corps|phrase|article/.test(fold(name));
}
