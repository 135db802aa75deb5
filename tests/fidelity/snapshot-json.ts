/** Biome's line width (biome.json): a list of plain values that fits on one line is written on it, as Biome would. */
const LINE_WIDTH = 160;

const isPlain = (value: unknown) => value === null || typeof value !== 'object';

function write(value: unknown, indent: string, column: number, trailing: number): string {
  if (isPlain(value)) return JSON.stringify(value) ?? 'null';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const oneLine = `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
    if (value.every(isPlain) && column + oneLine.length + trailing <= LINE_WIDTH) return oneLine;
    const items = value.map((item, index) => `${inner}${write(item, inner, inner.length, index < value.length - 1 ? 1 : 0)}`);
    return `[\n${items.join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
  if (entries.length === 0) return '{}';
  const lines = entries.map(([key, item], index) => {
    const prefix = `${inner}${JSON.stringify(key)}: `;
    return `${prefix}${write(item, inner, prefix.length, index < entries.length - 1 ? 1 : 0)}`;
  });
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

/**
 * JSON text of a snapshot, laid out as the repository's formatter (Biome) lays out JSON — objects one key a line,
 * short lists of plain values on one line — so that a committed snapshot passes `biome check` as written.
 */
export function snapshotJson(value: unknown): string {
  return `${write(value, '', 0, 0)}\n`;
}
