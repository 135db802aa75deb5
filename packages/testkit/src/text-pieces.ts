/**
 * Splits `text` into the deltas a streaming upstream would send.
 *
 * Without `count`, one piece per word (the whitespace after a word stays with it, so the pieces
 * concatenate back to `text`). With `count`, `text` is cut into `count` pieces of nearly equal
 * length (fewer when `text` is shorter than `count` characters). Empty text gives no pieces.
 */
export function splitText(text: string, count?: number): string[] {
  if (text === '') return [];
  if (count === undefined) {
    const pieces = text.split(/(?<=\s)(?=\S)/);
    // Leading whitespace belongs to the first word.
    if (pieces.length > 1 && (pieces[0] as string).trim() === '') pieces.splice(0, 2, `${pieces[0]}${pieces[1]}`);
    return pieces;
  }
  const pieces = Math.max(1, Math.min(Math.floor(count), text.length));
  const result: string[] = [];
  for (let index = 0; index < pieces; index += 1) {
    const start = Math.floor((index * text.length) / pieces);
    const end = Math.floor(((index + 1) * text.length) / pieces);
    result.push(text.slice(start, end));
  }
  return result;
}

/** A rough word count of every string inside `value` (keys excluded): the mock's stand-in for input tokens. */
export function countWords(value: unknown): number {
  if (typeof value === 'string') return value.match(/\S+/g)?.length ?? 0;
  if (Array.isArray(value)) return value.reduce<number>((total, item) => total + countWords(item), 0);
  if (value && typeof value === 'object') {
    return Object.values(value).reduce<number>((total, item) => total + countWords(item), 0);
  }
  return 0;
}

const fillerWords = [
  'The',
  'quick',
  'brown',
  'fox',
  'jumps',
  'over',
  'the',
  'lazy',
  'dog',
  'while',
  'the',
  'mock',
  'upstream',
  'keeps',
  'streaming',
  'words',
  'one',
  'by',
  'one',
  'until',
  'something',
  'goes',
  'wrong.',
];

/** Filler text with at least `words` words, for faults that need some content before they strike. */
export function fillerText(words: number): string {
  const count = Math.max(1, words);
  const result: string[] = [];
  for (let index = 0; index < count; index += 1) result.push(fillerWords[index % fillerWords.length] as string);
  return result.join(' ');
}
