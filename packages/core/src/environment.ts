/** Reads an environment variable where `process.env` exists (Node, Bun, Deno with --allow-env); `undefined` elsewhere. */
export function readEnvironmentVariable(name: string): string | undefined {
  try {
    const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  } catch {
    return undefined; // Deno without env permission throws
  }
}
