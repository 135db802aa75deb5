import { OLLAMA_BASE_URL } from './ollama-settings';

const DEFAULT_PORT = '11434';

/**
 * The base URL an `OLLAMA_HOST` value names, read the way Ollama's own client reads it: a missing scheme is `http`,
 * a missing port is 11434 (or the scheme's own port when a scheme was written: `https://ollama.example` → 443), a
 * bare `:8080` is `localhost:8080`, and a path is kept without its trailing slash. Empty or unparsable → the default
 * `http://localhost:11434`.
 */
export function ollamaHostToBaseURL(host: string | undefined): string {
  const value = host?.trim() ?? '';
  if (value === '') return OLLAMA_BASE_URL;
  const explicitScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
  const withHost = value.startsWith(':') ? `localhost${value}` : value;
  let url: URL;
  try {
    url = new URL(explicitScheme ? withHost : `http://${withHost}`);
  } catch {
    return OLLAMA_BASE_URL;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return OLLAMA_BASE_URL;
  // `new URL` drops a port equal to the scheme's default (`localhost:80`): an empty port may still have been written.
  const portWritten = /^(\[[^\]]*\]|[^/:]*):\d+/.test(withHost);
  const port = url.port || (explicitScheme || portWritten ? '' : DEFAULT_PORT);
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.hostname}${port ? `:${port}` : ''}${path}`;
}
