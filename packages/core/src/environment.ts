/**
 * Environment variables handed to a provider in its `env` setting: a Cloudflare Worker's `env` (its `Env` interface
 * is accepted as it is), or any object. Its string properties are the variables; others (bindings) are ignored.
 */
export type EnvironmentVariables = object;

const processEnvironment = (): EnvironmentVariables | undefined => (globalThis as { process?: { env?: object } }).process?.env;

/**
 * Reads an environment variable, trimmed; `undefined` when unset or blank. With `env` (a provider's `env` setting, such
 * as a Cloudflare Worker's `env`) only that object is read; otherwise `process.env` where it exists (Node, Bun, Deno
 * with --allow-env), and nothing elsewhere. A value that is not a string (a Worker binding) counts as unset.
 */
export function readEnvironmentVariable(name: string, env?: EnvironmentVariables): string | undefined {
  try {
    const value = ((env ?? processEnvironment()) as Readonly<Record<string, unknown>> | undefined)?.[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  } catch {
    return undefined; // Deno without env permission throws
  }
}

/**
 * How to give a provider the key it did not find, for the runtime at hand: where there is no `process.env` (Workers,
 * edge functions) the variable has to be passed in the settings. Worded so that masking leaves it readable.
 */
export function missingKeyAdvice(variable: string | undefined, env: EnvironmentVariables | undefined): string {
  if (!variable) return 'pass apiKey or credentials';
  if (env) return `${variable} is not in the env setting; add it, or pass apiKey or credentials`;
  return processEnvironment()
    ? `set ${variable} or pass apiKey or credentials`
    : `no process.env here (Workers, edge): pass apiKey: env.${variable} or env or credentials`;
}
