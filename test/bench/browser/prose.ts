/**
 * Seeded English-like prose for the prompt-path rows: words drawn with Zipf frequencies from a
 * vocabulary of common words and made-up ones, in sentences with punctuation, numbers and
 * contractions. A chat of one paragraph repeated would measure only the word caches of both
 * tokenizers; real chats repeat common words and keep bringing new ones.
 */
import { mulberry32 } from "../../fixtures/conversations.js";

const COMMON = (
  "the of and to a in is it you that he was for on are with as I his they be at one have this from or had by hot but some " +
  "what there we can out other were all your when up use word how said an each she which do their time if will way about " +
  "many then them would write like so these her long make thing see him two has look more day could go come did my sound " +
  "no most number who over know water than call first people may down side been now find any new work part take get place " +
  "made live where after back little only round man year came show every good me give our under name very through just form"
).split(" ");
const SYLLABLES = "ka lo mer ti san dre vo pel qu ith an or es ul bri cla fen gor hal jun".split(" ");

/** A source of paragraphs: each call gives about `chars` characters of new prose. */
export function proseSource(seed: number): (chars: number) => string {
  const rand = mulberry32(seed);
  const made: string[] = [];
  for (let i = 0; i < 6000; i++) {
    let w = "";
    for (let s = 1 + Math.floor(rand() * 3); s >= 0; s--) w += SYLLABLES[Math.floor(rand() * SYLLABLES.length)];
    made.push(w);
  }
  const vocabulary = [...COMMON, ...made];
  // Zipf: rank r drawn with weight 1/r.
  const harmonic = vocabulary.reduce((h, _, r) => h + 1 / (r + 1), 0);
  const word = () => {
    let x = rand() * harmonic;
    for (let r = 0; r < vocabulary.length; r++) if ((x -= 1 / (r + 1)) <= 0) return vocabulary[r]!;
    return vocabulary.at(-1)!;
  };
  return (chars) => {
    let out = "";
    while (out.length < chars) {
      const n = 6 + Math.floor(rand() * 14);
      const words = Array.from({ length: n }, word);
      words[0] = words[0]![0]!.toUpperCase() + words[0]!.slice(1);
      if (rand() < 0.2) words.splice(1 + Math.floor(rand() * (n - 1)), 0, String(Math.floor(rand() * 2000)));
      if (rand() < 0.15) words.push("isn't");
      out += words.join(rand() < 0.1 ? ", " : " ") + (rand() < 0.15 ? "? " : ". ");
    }
    return out;
  };
}
