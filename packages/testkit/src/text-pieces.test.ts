import { describe, expect, it } from 'vitest';
import { countWords, fillerText, splitText } from './text-pieces';

describe('splitText', () => {
  it('gives one piece per word by default, keeping the whitespace so pieces rejoin exactly', () => {
    expect(splitText('Hello big  world\n')).toEqual(['Hello ', 'big  ', 'world\n']);
    expect(splitText('  leading space')).toEqual(['  leading ', 'space']);
  });

  it('cuts into the requested number of nearly equal pieces', () => {
    const pieces = splitText('abcdefghij', 3);
    expect(pieces).toHaveLength(3);
    expect(pieces.join('')).toBe('abcdefghij');
    expect(pieces.map((piece) => piece.length)).toEqual([3, 3, 4]);
  });

  it('never makes empty pieces and gives none for empty text', () => {
    expect(splitText('ab', 5)).toEqual(['a', 'b']);
    expect(splitText('', 3)).toEqual([]);
    expect(splitText('')).toEqual([]);
  });
});

describe('countWords', () => {
  it('counts the words of every string inside a value', () => {
    expect(countWords([{ role: 'user', content: 'one two three' }, { content: [{ type: 'text', text: 'four' }] }])).toBe(6);
    expect(countWords(undefined)).toBe(0);
  });
});

describe('fillerText', () => {
  it('has at least the requested number of words', () => {
    expect(fillerText(40).split(' ')).toHaveLength(40);
  });
});
