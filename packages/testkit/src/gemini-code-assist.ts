import type { MockCredential } from './credential-scripts';
import { googleError } from './gemini-errors';
import type { ControlAnswer, DialectSession, RenderedError } from './upstream-dialect';

/** Options of the Gemini dialect's Code Assist backend (`createMockUpstream({ codeAssist })`). */
export interface CodeAssistOptions {
  /**
   * How many `onboardUser` answers (re-POSTs or `GET /v1internal/operations/…` polls) say `done: false`
   * before the operation completes. Default 1: the first call is pending, the second is done. `0`: done at once.
   */
  pendingPolls?: number;
  /**
   * The project onboarding to the free tier assigns to an account (`undefined` when no credentials are
   * configured). Default: `mock-managed-project-<credential id>` (`…-anonymous`).
   */
  managedProject?: (credentialId: string | undefined) => string;
}

const freeTierId = 'free-tier';
const standardTierId = 'standard-tier';
const legacyTierId = 'legacy-tier';

interface Tier {
  id: string;
  name: string;
  description: string;
  userDefinedCloudaicompanionProject: boolean;
  isDefault?: boolean;
}

const tiers: Readonly<Record<string, Tier>> = {
  [freeTierId]: {
    id: freeTierId,
    name: 'Gemini Code Assist for individuals',
    description: 'Mock free tier: onboarding assigns a managed project.',
    userDefinedCloudaicompanionProject: false,
  },
  [standardTierId]: {
    id: standardTierId,
    name: 'Gemini Code Assist',
    description: 'Mock standard tier: bring your own Google Cloud project.',
    userDefinedCloudaicompanionProject: true,
  },
  [legacyTierId]: {
    id: legacyTierId,
    name: 'Gemini Code Assist (legacy)',
    description: 'Mock legacy tier: bring your own Google Cloud project.',
    userDefinedCloudaicompanionProject: true,
  },
};

interface Onboarding {
  readonly name: string;
  readonly tierId: string;
  readonly project: string;
  pendingPolls: number;
  done: boolean;
}

/** What the mock knows about one OAuth account (one configured credential, or everyone when none are). */
interface Account {
  readonly credentialId: string | undefined;
  /** The project configured on the credential. */
  readonly configuredProject: string | undefined;
  onboarding?: Onboarding;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function projectOf(account: Account): { project: string; tierId: string } | undefined {
  if (account.configuredProject !== undefined) return { project: account.configuredProject, tierId: standardTierId };
  const onboarding = account.onboarding;
  return onboarding?.done ? { project: onboarding.project, tierId: onboarding.tierId } : undefined;
}

function operationAnswer(onboarding: Onboarding): ControlAnswer {
  if (!onboarding.done) return { status: 200, body: { name: onboarding.name, done: false } };
  return {
    status: 200,
    body: {
      name: onboarding.name,
      done: true,
      response: {
        '@type': 'type.googleapis.com/google.internal.cloud.code.v1internal.OnboardUserResponse',
        cloudaicompanionProject: { id: onboarding.project, name: onboarding.project },
      },
    },
  };
}

/** One poll of an onboarding operation: pending while polls remain, then done (and done from then on). */
function poll(onboarding: Onboarding): ControlAnswer {
  if (onboarding.pendingPolls > 0) {
    onboarding.pendingPolls -= 1;
  } else {
    onboarding.done = true;
  }
  return operationAnswer(onboarding);
}

function controlError(rendered: RenderedError): ControlAnswer {
  return { status: rendered.status, body: rendered.body };
}

/**
 * The Code Assist backend's account state: `loadCodeAssist` reports an account's project (or the tiers it
 * may onboard to), `onboardUser` is a long-running operation that assigns one, and generation requests
 * must name the account's project once it has one.
 */
export function createCodeAssistSession(setup: { credentials: readonly MockCredential[]; options: CodeAssistOptions }): DialectSession {
  const pendingPolls = Math.max(0, Math.floor(setup.options.pendingPolls ?? 1));
  const managedProject = setup.options.managedProject ?? ((id: string | undefined) => `mock-managed-project-${id ?? 'anonymous'}`);
  const accounts = new Map<string | undefined, Account>();
  let operations = 0;

  const accountOf = (credential: MockCredential | undefined): Account => {
    const key = credential?.id;
    let account = accounts.get(key);
    if (!account) {
      account = { credentialId: key, configuredProject: credential?.project };
      accounts.set(key, account);
    }
    return account;
  };

  const loadCodeAssist = (account: Account): ControlAnswer => {
    const known = projectOf(account);
    if (!known) {
      return { status: 200, body: { allowedTiers: [{ ...tiers[freeTierId], isDefault: true }, tiers[standardTierId]] } };
    }
    const tier = tiers[known.tierId] as Tier;
    return {
      status: 200,
      body: { currentTier: tier, allowedTiers: [{ ...tier, isDefault: true }], cloudaicompanionProject: known.project, gcpManaged: false },
    };
  };

  const onboardUser = (account: Account, body: Record<string, unknown>): ControlAnswer => {
    if (account.onboarding) return poll(account.onboarding);
    const tierId = typeof body.tierId === 'string' ? body.tierId : freeTierId;
    const tier = tiers[tierId];
    if (!tier) return controlError(googleError(400, `mock upstream: unknown tierId "${tierId}"`));
    const requestedProject = typeof body.cloudaicompanionProject === 'string' ? body.cloudaicompanionProject : undefined;
    if (tier.userDefinedCloudaicompanionProject && requestedProject === undefined) {
      return controlError(googleError(400, `A Google Cloud project (cloudaicompanionProject) is required for tier ${tierId}.`));
    }
    operations += 1;
    const known = projectOf(account);
    account.onboarding = {
      name: `operations/mock-onboard-${operations}`,
      tierId: known?.tierId ?? tierId,
      project: known?.project ?? requestedProject ?? managedProject(account.credentialId),
      // An account that already has a project is done at once.
      pendingPolls: known ? 0 : pendingPolls,
      done: false,
    };
    return poll(account.onboarding);
  };

  return {
    answerControl({ url, body, credential, context }) {
      const account = accountOf(credential);
      if (context.method === 'POST' && url.pathname === '/v1internal:loadCodeAssist') return loadCodeAssist(account);
      if (context.method === 'POST' && url.pathname === '/v1internal:onboardUser') {
        return onboardUser(account, isRecord(body) ? body : {});
      }
      const name = url.pathname.slice('/v1internal/'.length);
      if (context.method === 'GET' && account.onboarding?.name === name) return poll(account.onboarding);
      return controlError(googleError(404, `Operation ${name} not found.`));
    },

    refuseGenerate({ url, body, credential }) {
      if (!url.pathname.startsWith('/v1internal')) return undefined;
      const known = projectOf(accountOf(credential));
      const sent = isRecord(body) && typeof body.project === 'string' ? body.project : undefined;
      if (known === undefined || sent === known.project) return undefined;
      return googleError(403, `Permission denied on resource project ${sent ?? '(none)'}.`, [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'CONSUMER_INVALID', domain: 'googleapis.com' },
      ]);
    },
  };
}
