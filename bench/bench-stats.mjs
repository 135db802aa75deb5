// Small helpers shared by the benchmark scripts: percentiles and plain-text tables.
import { availableParallelism } from 'node:os';

/** The q-quantile (0..1) of already sorted numbers, nearest-rank. */
export function quantile(sorted, q) {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index];
}

/** `{ n, mean, min, p50, p95, p99, max }` of a list of numbers. */
export function summarize(values) {
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    n: sorted.length,
    mean: sum / sorted.length,
    min: sorted[0],
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    max: sorted[sorted.length - 1],
  };
}

export function median(values) {
  return summarize(values).p50;
}

/**
 * Prints rows (arrays of cells) as an aligned Markdown table; the first row is the header.
 * `align` has one letter per column, `l` or `r` (default: first column left, the others right).
 */
export function printTable(rows, align) {
  const left = (column) => (align ? align[column] === 'l' : column === 0);
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => String(row[column]).length)));
  const line = (row) =>
    `| ${row.map((cell, column) => (left(column) ? String(cell).padEnd(widths[column]) : String(cell).padStart(widths[column]))).join(' | ')} |`;
  console.log(line(rows[0]));
  console.log(`|${widths.map((width, column) => (left(column) ? `:${'-'.repeat(width + 1)}` : `${'-'.repeat(width + 1)}:`)).join('|')}|`);
  for (const row of rows.slice(1)) console.log(line(row));
}

export const fixed = (value, digits = 1) => value.toFixed(digits);

/** A line naming the runtime, so pasted output says where it came from. */
export function environmentLine() {
  return `node ${process.version}, ${process.platform}/${process.arch}, ${availableParallelism()} CPU(s), ${new Date().toISOString()}`;
}
