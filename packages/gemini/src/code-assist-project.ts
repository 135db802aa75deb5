import { KitError, type CredentialLease, type HttpHooks } from '@kit/core';
import { abortedError, mergeHeaders, requestJsonOnce, sleep, type ErrorRefiner } from '@kit/core/provider-utils';
import { googleErrorReasons, refineGeminiError } from './gemini-errors';

/** What project discovery needs: where Code Assist is, how to reach it, and what the user configured. */
export interface CodeAssistDiscoveryOptions {
  provider: string;
  /** Code Assist's base URL (`https://cloudcode-pa.googleapis.com/v1internal`). */
  baseURL: string;
  /** The provider's `fetch` (default the global one), called as `fetch(url, init)`. */
  fetch?: typeof globalThis.fetch | undefined;
  /** Sent with every discovery request (the provider's `headers`). */
  headers: Record<string, string>;
  /** A project the user chose (Workspace / Standard tier). */
  projectId?: string;
  /** Between polls of the onboarding operation. */
  pollIntervalMs: number;
  /** Bounds each discovery request, answer body included. */
  timeoutMs: number;
  /** ky `beforeRequest` / `afterResponse` hooks (the provider's `hooks`). */
  hooks?: HttpHooks;
  /** Polls of the onboarding operation before giving up (default 60). */
  maxPolls?: number;
  /** How long onboarding may take, from its first request, before giving up (default: no bound but `maxPolls`). */
  onboardingTimeoutMs?: number;
  /** The clock of that deadline (default `Date.now`). */
  now?: () => number;
}

type Json = Record<string, unknown>;

/** The client metadata the Code Assist API expects of a caller that is not an IDE plugin. */
export const CODE_ASSIST_CLIENT_METADATA = { ideType: 'IDE_UNSPECIFIED', platform: 'PLATFORM_UNSPECIFIED', pluginType: 'GEMINI' };

/**
 * One authenticated JSON request to Code Assist through core's HTTP client, with the provider's headers and hooks;
 * a non-2xx answer throws its classified `KitError`. Not retried here: a failed discovery counts against the
 * credential and the caller moves on (`withCodeAssistProjects`). (`requestJsonOnce`, not ky's `requestJson`: this
 * runs inside `createGemini`, and ky would add ~8 KB min+gzip to every Gemini bundle.)
 */
async function call(
  options: CodeAssistDiscoveryOptions,
  lease: CredentialLease,
  path: string,
  body: Json | undefined,
  signal?: AbortSignal,
  refine: ErrorRefiner = refineGeminiError,
): Promise<Json> {
  const answer = await requestJsonOnce(options.baseURL + path, {
    provider: options.provider,
    what: `Code Assist ${path}`,
    method: body ? 'POST' : 'GET',
    ...(body ? { json: body } : {}),
    headers: mergeHeaders(options.headers, { authorization: `Bearer ${lease.secret}` }),
    timeoutMs: options.timeoutMs,
    signal,
    fetch: options.fetch,
    hooks: options.hooks,
    credentialId: lease.id,
    secrets: [lease.secret],
    refine,
  });
  return Object(answer) as Json;
}

/**
 * `loadCodeAssist`, where a VPC Service Controls perimeter refusing the call (403 with an `ErrorInfo` reason
 * `SECURITY_POLICY_VIOLATED`) means a Standard-tier account inside the perimeter: it answers as the Gemini CLI takes
 * it, `{ currentTier: { id: 'standard-tier' } }`, so the configured project is used.
 */
async function loadCodeAssist(options: CodeAssistDiscoveryOptions, lease: CredentialLease, body: Json, signal?: AbortSignal): Promise<Json> {
  let insidePerimeter = false;
  const refine: ErrorRefiner = (response) => {
    insidePerimeter = response.status === 403 && googleErrorReasons(response.body).includes('SECURITY_POLICY_VIOLATED');
    return refineGeminiError(response);
  };
  try {
    return await call(options, lease, ':loadCodeAssist', body, signal, refine);
  } catch (error) {
    if (insidePerimeter) return { currentTier: { id: 'standard-tier' } };
    throw error;
  }
}

/**
 * An account Google wants to verify before it may use Code Assist (`ineligibleTiers[].reasonCode`
 * `VALIDATION_REQUIRED`, with the page to do it in `validationUrl`): a `permission` error that carries the link.
 */
function validationRequired(options: CodeAssistDiscoveryOptions, lease: CredentialLease, load: Json): KitError | undefined {
  if (load.currentTier || !Array.isArray(load.ineligibleTiers)) return undefined;
  const tier = load.ineligibleTiers
    .map((item) => Object(item) as Json)
    .find((item) => item.reasonCode === 'VALIDATION_REQUIRED' && typeof item.validationUrl === 'string');
  if (!tier) return undefined;
  const reason = typeof tier.reasonMessage === 'string' && tier.reasonMessage ? `${tier.reasonMessage} ` : '';
  return new KitError(
    'permission',
    `${options.provider}: account validation required: ${reason}(open ${String(tier.validationUrl)} signed in as this account, then retry)`,
    {
      provider: options.provider,
      credentialId: lease.id,
    },
  );
}

/** A project id from `loadCodeAssist` (a string) or an onboarding result (`{ id, name }`). */
const projectIdOf = (value: unknown): string | undefined => {
  const id = typeof value === 'string' ? value : Object(value).id;
  return typeof id === 'string' && id ? id : undefined;
};

/** The account cannot use Code Assist without a project: say why (Google's ineligibility reasons) and what to do. */
function noProject(options: CodeAssistDiscoveryOptions, lease: CredentialLease, load: Json): KitError {
  const reasons = Array.isArray(load.ineligibleTiers)
    ? load.ineligibleTiers.map((tier) => Object(tier).reasonMessage).filter((reason) => typeof reason === 'string')
    : [];
  const why = reasons.length > 0 ? reasons.join('; ') : 'this account needs a Google Cloud project';
  return new KitError('permission', `${options.provider}: projectId: ${why} (set \`projectId\` or GOOGLE_CLOUD_PROJECT)`, {
    provider: options.provider,
    credentialId: lease.id,
  });
}

/**
 * Finds the Code Assist project of an OAuth account, the way the Gemini CLI does: `loadCodeAssist` tells the
 * account's tier and project; an account not yet set up is onboarded on its default tier with `onboardUser`
 * (free tier: a Google-managed project, no project may be named; other tiers: the configured project), polling the
 * long-running operation (`GET /<operation name>`, or `onboardUser` again when the answer names none) until `done`,
 * or until `onboardingTimeoutMs` / `maxPolls` run out (`timeout`). An account Google wants verified first is a
 * `permission` error carrying the validation link; a VPC Service Controls refusal of `loadCodeAssist` is taken as a
 * Standard-tier account (the configured project is used).
 */
export async function discoverCodeAssistProject(options: CodeAssistDiscoveryOptions, lease: CredentialLease, signal?: AbortSignal): Promise<string> {
  const configured = options.projectId;
  const metadata = configured ? { ...CODE_ASSIST_CLIENT_METADATA, duetProject: configured } : CODE_ASSIST_CLIENT_METADATA;
  const load = await loadCodeAssist(options, lease, configured ? { cloudaicompanionProject: configured, metadata } : { metadata }, signal);
  const validation = validationRequired(options, lease, load);
  if (validation) throw validation;
  if (load.currentTier) {
    const project = projectIdOf(load.cloudaicompanionProject) ?? configured;
    if (project) return project;
    throw noProject(options, lease, load);
  }
  const tiers = Array.isArray(load.allowedTiers) ? load.allowedTiers.map((tier) => Object(tier) as Json) : [];
  const tierId = tiers.find((tier) => tier.isDefault === true)?.id ?? 'legacy-tier';
  const onboarding: Json =
    tierId === 'free-tier' || !configured ? { tierId, metadata: CODE_ASSIST_CLIENT_METADATA } : { tierId, cloudaicompanionProject: configured, metadata };
  const now = options.now ?? Date.now;
  const deadline = now() + (options.onboardingTimeoutMs ?? Number.POSITIVE_INFINITY);
  let operation = await call(options, lease, ':onboardUser', onboarding, signal);
  for (let polls = 0; operation.done !== true; polls += 1) {
    if (polls >= (options.maxPolls ?? 60) || now() + options.pollIntervalMs > deadline) {
      throw new KitError('timeout', `${options.provider}: onboarding the account on Code Assist did not finish`, {
        provider: options.provider,
        credentialId: lease.id,
      });
    }
    await sleep(options.pollIntervalMs, signal).catch(() => {
      throw abortedError(options.provider);
    });
    operation =
      typeof operation.name === 'string' && operation.name
        ? await call(options, lease, `/${operation.name}`, undefined, signal)
        : await call(options, lease, ':onboardUser', onboarding, signal);
  }
  const project = projectIdOf(Object(operation.response).cloudaicompanionProject) ?? configured;
  if (project) return project;
  throw noProject(options, lease, load);
}
