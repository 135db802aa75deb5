// Assertions for code that runs in every runtime (no node:assert on edge runtimes, no vitest outside Node).

/** Throws with `message` unless `condition` holds. */
export function expectThat(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** JSON with object keys sorted, so that equal data has one form whatever the order its keys were set in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

/** Throws unless `actual` and `expected` are equal as JSON data (key order aside). */
export function expectEqual(actual: unknown, expected: unknown, what: string): void {
  const actualJson = canonicalJson(actual);
  const expectedJson = canonicalJson(expected);
  if (actualJson !== expectedJson) throw new Error(`${what}: expected ${expectedJson}, got ${actualJson}`);
}

/** Throws unless `text` contains none of `secrets`. */
export function expectNoSecret(text: string, secrets: readonly string[], where: string): void {
  for (const secret of secrets) expectThat(!text.includes(secret), `${where} contains a secret`);
}

/** Runs `operation`, which must fail; returns its error. */
export async function expectFailure(operation: () => Promise<unknown>, what: string): Promise<unknown> {
  try {
    await operation();
  } catch (error) {
    return error;
  }
  throw new Error(`${what} should have failed`);
}
