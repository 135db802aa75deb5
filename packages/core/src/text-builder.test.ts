import { describe, expect, it } from 'vitest';
import { TextBuilder } from './text-builder';

/** Pieces shaped like a stream's deltas: short, varied, some empty, some multi-byte. */
const deltas = (count: number) =>
  Array.from({ length: count }, (_, index) => (index % 11 === 0 ? '' : index % 7 === 0 ? `\nλ${index}` : ` tok${index.toString(36)}`));

describe('TextBuilder', () => {
  it('gives back exactly the concatenated pieces across many block joins (10 000 deltas, ~2.4 joins of 4 096)', () => {
    const pieces = deltas(10_000);
    const builder = new TextBuilder();
    for (const piece of pieces) builder.append(piece);
    const expected = pieces.join('');
    expect(builder.toString()).toBe(expected);
  });

  it('can be read, appended to and read again (final() after a partial read)', () => {
    const first = deltas(5_000);
    const second = deltas(3_000).map((piece) => piece.toUpperCase());
    const builder = new TextBuilder();
    for (const piece of first) builder.append(piece);
    expect(builder.toString()).toBe(first.join(''));
    for (const piece of second) builder.append(piece);
    expect(builder.toString()).toBe(first.join('') + second.join(''));
    expect(builder.toString()).toBe(first.join('') + second.join(''));
  });

  it('is empty without pieces, and with only empty pieces', () => {
    const builder = new TextBuilder();
    expect(builder.toString()).toBe('');
    builder.append('');
    expect(builder.toString()).toBe('');
  });
});
