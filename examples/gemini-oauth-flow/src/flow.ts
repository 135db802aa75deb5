import type { KitEvent, Provider } from '@kit/core';
import { createGemini, createGeminiOAuthRefresh, type GeminiOAuthBackend } from '@kit/gemini';
import { loginWithGoogle } from '@kit/gemini/node';
import { OAuthManager } from '@kit/oauthmanager';
import { LOCAL_CLIENT_ID, localAccounts, type LocalServers } from './local-servers';

type Write = (text: string) => void;

const MINUTE = 60_000;

/** Streams one answer to `write`; returns its text. */
async function ask(gemini: Provider, prompt: string, write: Write): Promise<{ text: string; credentialId?: string }> {
  const stream = await gemini.generateChatCompletion({ prompt });
  let text = '';
  let credentialId: string | undefined;
  for await (const event of stream) {
    if (event.type === 'start') credentialId = event.credentialId;
    if (event.type === 'text-delta') {
      text += event.text;
      write(event.text);
    }
  }
  write('\n');
  return { text, credentialId };
}

export interface LocalFlowResult {
  calls: number;
  succeeded: number;
  /** Refreshes per account, as the token server counted them. */
  refreshes: Record<string, number>;
  events: KitEvent[];
}

/**
 * The local run: two Google accounts in an `OAuthManager`, Gemini's Code Assist backend, calls three (fake)
 * minutes apart. The personal account's token expires mid-run and is refreshed before it is used; before the
 * seventh call the server revokes the work account's token, so that call gets a 401, the token is refreshed and
 * the call retried. Each account's Code Assist project is discovered on its first call. Every call succeeds.
 */
export async function runLocalFlow({ servers, write, calls = 8 }: { servers: LocalServers; write: Write; calls?: number }): Promise<LocalFlowResult> {
  const { oauth, upstream, clock } = servers;
  const line = (text = '') => write(`${text}\n`);
  const events: KitEvent[] = [];
  const start = clock.now();
  const accounts = new OAuthManager(
    'gemini',
    [
      { id: 'work', clientId: LOCAL_CLIENT_ID, ...localAccounts.work, expiresAt: start + 60 * MINUTE },
      { id: 'personal', clientId: LOCAL_CLIENT_ID, ...localAccounts.personal, expiresAt: start + 12 * MINUTE },
    ],
    createGeminiOAuthRefresh({ tokenEndpoint: oauth.tokenUrl }),
    { now: clock.now, onEvent: (event) => events.push(event) },
  );
  const gemini = createGemini({
    credentials: accounts,
    baseURL: `${upstream.origin}/v1internal`,
    // The local upstream trusts whatever the local OAuth server says is a valid token right now.
    fetch: oauth.protect(),
    onboardingPollIntervalMs: 0,
    onEvent: (event) => events.push(event),
  });

  line('Two Google accounts ("work", "personal") on Gemini Code Assist; the personal token expires after 12 minutes.');
  let succeeded = 0;
  for (let call = 1; call <= calls; call += 1) {
    if (call === 7) line("   (the server revokes the work account's access token)");
    if (call === 7) oauth.revokeAccessTokens('work');
    const minute = Math.round((clock.now() - start) / MINUTE);
    write(`[t+${String(minute).padStart(2)} min] call ${call}: `);
    const seen = events.length;
    try {
      const { credentialId } = await ask(gemini, `Call ${call}: say something about OAuth.`, write);
      succeeded += 1;
      const during = events.slice(seen);
      const notes = [
        during.some((event) => event.type === 'request-error') ? 'refused with a 401' : '',
        during.some((event) => event.type === 'token-refresh') ? 'token refreshed' : '',
      ].filter(Boolean);
      line(`             answered by "${credentialId}"${notes.length ? ` (${notes.join(', then ')})` : ''}`);
    } catch (error) {
      line(`failed: ${(error as Error).message}`);
    }
    clock.advance(3 * MINUTE);
  }

  const refreshes = { work: oauth.refreshCount('work'), personal: oauth.refreshCount('personal') };
  line();
  line(`${succeeded}/${calls} calls succeeded.`);
  for (const credential of accounts.export().credentials) {
    line(`  ${credential.id}: project ${credential.projectId ?? '(none)'}, ${refreshes[credential.id as keyof typeof refreshes]} refresh(es)`);
  }
  const retried = events.filter((event) => event.type === 'request-error' && event.willRetry);
  for (const event of retried)
    if (event.type === 'request-error') line(`  retried after ${event.error.code} (HTTP ${event.error.status}) on "${event.credentialId}"`);
  return { calls, succeeded, refreshes, events };
}

export interface LoginFlowOptions {
  /** Your Desktop-app OAuth client. */
  clientId: string;
  clientSecret?: string;
  /** Code Assist: the Google Cloud project (Workspace / Standard accounts). */
  projectId?: string;
  backend?: GeminiOAuthBackend;
  write: Write;
  // Where the login and the calls go; default Google's. The example's test points them at local servers.
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
  baseURL?: string;
  fetch?: typeof globalThis.fetch;
  openBrowser?: (url: string) => void | Promise<void>;
}

/** The `--login` run: a real loopback sign-in with Google, then one streamed answer through the account. */
export async function runLoginFlow(options: LoginFlowOptions): Promise<string> {
  const { write } = options;
  const credential = await loginWithGoogle({
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    id: 'google',
    authorizationEndpoint: options.authorizationEndpoint,
    tokenEndpoint: options.tokenEndpoint,
    openBrowser: options.openBrowser,
    onAuthorizationUrl: (url) =>
      write(`Open this URL in your browser and sign in:\n\n  ${url}\n\nWaiting for Google to send the browser back to this program…\n`),
  });
  const expires = credential.expiresAt ? new Date(credential.expiresAt).toISOString() : 'unknown';
  write(`Signed in. Access token valid until ${expires}; refresh token ${credential.refreshToken ? 'received' : 'missing'}.\n`);
  const accounts = new OAuthManager('gemini', [credential], createGeminiOAuthRefresh({ tokenEndpoint: options.tokenEndpoint }));
  const gemini = createGemini({
    credentials: accounts,
    oauthBackend: options.backend ?? 'code-assist',
    projectId: options.projectId,
    baseURL: options.baseURL,
    fetch: options.fetch,
  });
  write('Gemini says: ');
  const { text } = await ask(gemini, 'Say hello in one short sentence.', write);
  return text;
}
