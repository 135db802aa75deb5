import { KitError, type CredentialLease, type CredentialSource } from '@kit/core';
import { describe, expect, it } from 'vitest';
import { withCodeAssistProjects } from './code-assist-credentials';
import type { CodeAssistDiscoveryOptions } from './code-assist-project';

/** Code Assist's loadCodeAssist as a fetch: every account has the project `project-<token>`; calls are counted. */
function codeAssistFetch(
  answer: (token: string) => Response = (token) => Response.json({ currentTier: { id: 'standard-tier' }, cloudaicompanionProject: `project-${token}` }),
) {
  const calls: string[] = [];
  const fetchCodeAssist: typeof fetch = async (input, init) => {
    const token = new Headers(init?.headers).get('authorization')?.replace('Bearer ', '') ?? '';
    calls.push(`${String(input).replace('https://cloudcode-pa.googleapis.com/v1internal', '')} ${token}`);
    return answer(token);
  };
  return { calls, fetchCodeAssist };
}

const options = (fetchCodeAssist: typeof fetch): CodeAssistDiscoveryOptions => ({
  provider: 'gemini',
  baseURL: 'https://cloudcode-pa.googleapis.com/v1internal',
  fetch: fetchCodeAssist,
  headers: {},
  pollIntervalMs: 0,
  timeoutMs: 1_000,
});

/** One OAuth account with an `updateCredential` like an OAuthManager's. */
function account(projectId?: string) {
  const updates: unknown[] = [];
  const failures: string[] = [];
  const source: CredentialSource & { updateCredential(id: string, update: { projectId: string }): Promise<void> } = {
    acquire: async () => {
      const lease: CredentialLease = { id: 'alice', secret: 'token-a', kind: 'oauth' };
      if (projectId) lease.projectId = projectId;
      return lease;
    },
    reportSuccess: () => {},
    reportFailure: (_id, error) => failures.push(error.code),
    async updateCredential(id, update) {
      updates.push([id, update]);
      projectId = update.projectId;
    },
  };
  return { source, updates, failures };
}

describe('withCodeAssistProjects', () => {
  it('discovers once, shares one discovery among concurrent callers, and writes the project to the credential', async () => {
    const { calls, fetchCodeAssist } = codeAssistFetch();
    const { source, updates } = account();
    const wrapped = withCodeAssistProjects(source, options(fetchCodeAssist));
    const leases = await Promise.all(Array.from({ length: 5 }, () => wrapped.acquire({})));
    expect(leases.map((lease) => lease.projectId)).toEqual(Array(5).fill('project-token-a'));
    expect(calls).toEqual([':loadCodeAssist token-a']);
    await Promise.resolve();
    expect(updates).toEqual([['alice', { projectId: 'project-token-a' }]]);
  });

  it('after a permission failure (a refused project) the next acquire discovers the project again, ignoring the stored one', async () => {
    const { calls, fetchCodeAssist } = codeAssistFetch();
    const { source, failures } = account('deleted-project');
    const wrapped = withCodeAssistProjects(source, options(fetchCodeAssist));
    expect((await wrapped.acquire({})).projectId).toBe('deleted-project');
    expect(calls).toEqual([]);
    wrapped.reportFailure('alice', new KitError('permission', 'Permission denied on resource project deleted-project.'));
    expect(failures).toEqual(['permission']);
    expect((await wrapped.acquire({})).projectId).toBe('project-token-a');
    expect((await wrapped.acquire({})).projectId).toBe('project-token-a');
    expect(calls).toEqual([':loadCodeAssist token-a']);
  });

  it('a discovery failure with the only credential is thrown after it was reported against it', async () => {
    const { fetchCodeAssist } = codeAssistFetch(() => Response.json({ error: { code: 500, message: 'backend error', status: 'INTERNAL' } }, { status: 500 }));
    const { source, failures } = account();
    await expect(withCodeAssistProjects(source, options(fetchCodeAssist)).acquire({})).rejects.toMatchObject({ code: 'server_error' });
    expect(failures).toEqual(['server_error']);
  });

  it('onUnauthorized passes on the rejected token, from the engine and from a discovery refused with a 401', async () => {
    const seen: unknown[][] = [];
    let token = 'token-old';
    const source: CredentialSource = {
      acquire: async () => ({ id: 'a', secret: token, kind: 'oauth' }),
      reportSuccess: () => {},
      reportFailure: () => {},
      onUnauthorized: async (...args: unknown[]) => {
        seen.push(args);
        token = 'token-new';
        return true;
      },
    };
    const { calls, fetchCodeAssist } = codeAssistFetch((bearer) =>
      bearer === 'token-old'
        ? Response.json({ error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } }, { status: 401 })
        : Response.json({ currentTier: { id: 'standard-tier' }, cloudaicompanionProject: `project-${bearer}` }),
    );
    const wrapped = withCodeAssistProjects(source, options(fetchCodeAssist));
    expect((await wrapped.acquire({})).projectId).toBe('project-token-new');
    expect(calls).toEqual([':loadCodeAssist token-old', ':loadCodeAssist token-new']);
    expect(await wrapped.onUnauthorized?.('a', { secret: 'token-new' })).toBe(true);
    expect(seen).toEqual([
      ['a', { secret: 'token-old' }],
      ['a', { secret: 'token-new' }],
    ]);
  });

  it('passes the rest through: reportSuccess, reportRateLimit, onUnauthorized only when the source has it', async () => {
    const seen: string[] = [];
    const source: CredentialSource = {
      acquire: async () => ({ id: 'a', secret: 's', kind: 'oauth', projectId: 'p' }),
      reportSuccess: (id) => seen.push(`success ${id}`),
      reportFailure: () => {},
      reportRateLimit: (id) => seen.push(`rate ${id}`),
    };
    const wrapped = withCodeAssistProjects(source, options(codeAssistFetch().fetchCodeAssist));
    wrapped.reportSuccess('a');
    wrapped.reportRateLimit?.('a', {});
    expect(seen).toEqual(['success a', 'rate a']);
    expect(wrapped.onUnauthorized).toBeUndefined();
  });
});
