/**
 * Built-in stop words for topic keywords: English and French function words, lower case, no
 * accents stripped. Optional: keywords need no list (a word spread evenly over the clusters
 * scores zero, see `keywordScores`); the list only keeps phrases such as "of the" out of the
 * candidates. Markup (`quot`, `href`, `www`, `com`) is found by the shape of the text, see
 * `topic-terms.ts`, so it is not listed here.
 */
const ENGLISH = `a about above after again against all also am an and any are aren't as at be because been before being
below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each few for
from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his how
how's i i'd i'll i'm i've if in into is isn't it it's its itself just let's me more most mustn't my myself no nor not now of
off on once only or other ought our ours ourselves out over own said same say says shan't she she'd she'll she's should
shouldn't so some such than that that's the their theirs them themselves then there there's these they they'd they'll
they're they've this those through to too under until up upon us very was wasn't we we'd we'll we're we've were weren't what
what's when when's where where's which while who who's whom why why's will with won't would wouldn't yet you you'd you'll
you're you've your yours yourself yourselves s t d ll m re ve one two new also may might must shall get got like just
many much via per`;

const FRENCH = `a à afin ai aie aient aies ait alors as au aucun aucune aupres auprès aussi autre autres aux avaient avais avait
avant avec avez aviez avions avoir avons ayant c ça car ce ceci cela celle celles celui cependant certain certaines certains
ces cet cette ceux chacun chacune chaque chez ci comme comment d dans de des desquelles desquels dessous dessus deux doit donc
dont du duquel durant elle elles en encore entre es est et étaient étais était étant été êtes étiez étions être eu eue eues
eûmes eurent eus eusse eut eux fait faire fois font furent fus fut hors ici il ils j je jusqu jusque l la là laquelle le
lequel les lesquelles lesquels leur leurs lors lorsque lui m ma mais me même mêmes mes moi moins mon n ne ni non nos notre
nous on ont ou où par parce pas pendant peu peut plus plutôt pour pourquoi puis qu quand que quel quelle quelles quels qui
quoi s sa sans se selon sera serait seront ses si sien son sont sous soyez suis sur t ta tandis te tes toi ton tous tout
toute toutes très tu un une unes uns vers voici voilà vos votre vous y été cet cette ces dont aussi bien fait faut`;

const words = (list: string): ReadonlySet<string> => new Set(list.split(/\s+/).filter(Boolean));

/** Each language's list on its own (the LLM prompts tell a French corpus from an English one with them). */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = words(ENGLISH);
export const FRENCH_STOP_WORDS: ReadonlySet<string> = words(FRENCH);

/** English and French stop words together (topic keywords work on mixed corpora). */
export const STOP_WORDS: ReadonlySet<string> = new Set(`${ENGLISH} ${FRENCH}`.split(/\s+/).filter(Boolean));
