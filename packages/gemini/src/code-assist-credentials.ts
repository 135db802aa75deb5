import { KitError, toKitError, type AcquireOptions, type CredentialLease, type CredentialSource } from '@kit/core';
import { abortedError } from '@kit/core/provider-utils';
import { discoverCodeAssistProject, type CodeAssistDiscoveryOptions } from './code-assist-project';

/**
 * Wraps an OAuth `CredentialSource` so that every lease it hands to the engine carries its Code Assist project
 * (`projectId`), which the request builder puts in the `{ model, project, request }` envelope.
 *
 * A lease that already has a `projectId` (an `OAuthCredential` with one) is used as it is. Otherwise the project is
 * discovered once per credential (`loadCodeAssist`, `onboardUser`) with the lease's token and cached by credential
 * id; concurrent calls share one discovery. When the source can keep it (an `OAuthManager`'s `updateCredential`),
 * the project is also written to the credential, so its store keeps it across restarts. A discovery that fails
 * counts against that credential (after one refresh when Google says the token is bad) and the next credential is
 * tried. A `permission` failure of a request (Code Assist's answer to a wrong project) makes the next call discover
 * the project again.
 */
export function withCodeAssistProjects(source: CredentialSource, options: CodeAssistDiscoveryOptions): CredentialSource {
  const projects = new Map<string, string>();
  const pending = new Map<string, Promise<string>>();
  // Credentials whose project was refused: their lease's `projectId` is not trusted until discovered again.
  const stale = new Set<string>();
  const keep = (source as { updateCredential?: (id: string, update: { projectId: string }) => Promise<void> }).updateCredential;

  function projectFor(lease: CredentialLease, signal?: AbortSignal): Promise<string> {
    let discovery = pending.get(lease.id);
    if (!discovery) {
      discovery = discoverCodeAssistProject(options, lease, signal).then((project) => {
        projects.set(lease.id, project);
        stale.delete(lease.id);
        if (typeof keep === 'function') {
          // Best effort: the project is cached here anyway.
          void Promise.resolve()
            .then(() => keep.call(source, lease.id, { projectId: project }))
            .catch(() => {});
        }
        return project;
      });
      pending.set(lease.id, discovery);
      const forget = () => pending.delete(lease.id);
      discovery.then(forget, forget);
    }
    return discovery;
  }

  async function acquire(acquireOptions: AcquireOptions): Promise<CredentialLease> {
    const failed = new Map<string, KitError>();
    const refreshed = new Set<string>();
    let request = acquireOptions;
    for (;;) {
      const lease = await source.acquire(request);
      request = acquireOptions;
      if (lease.kind !== 'oauth') {
        throw new KitError(
          'invalid_config',
          `credentials: ${options.provider}: the code-assist backend needs OAuth credentials (an OAuthManager), not API keys`,
          {
            provider: options.provider,
          },
        );
      }
      const known = projects.get(lease.id) ?? (stale.has(lease.id) ? undefined : lease.projectId);
      if (known) return { ...lease, projectId: known };
      const earlier = failed.get(lease.id);
      if (earlier) throw earlier; // the source has no other credential to offer
      try {
        return { ...lease, projectId: await projectFor(lease, acquireOptions.signal) };
      } catch (thrown) {
        if (acquireOptions.signal?.aborted) throw abortedError(options.provider);
        const error = toKitError(thrown);
        // Another caller's abort ended the discovery this call shared: start one again.
        if (error.code === 'aborted') continue;
        if (error.code === 'authentication' && source.onUnauthorized && !refreshed.has(lease.id)) {
          refreshed.add(lease.id);
          if (await source.onUnauthorized(lease.id, { secret: lease.secret }).catch(() => false)) {
            request = { ...acquireOptions, id: lease.id };
            continue;
          }
        }
        failed.set(lease.id, error);
        source.reportFailure(lease.id, error);
        if (error.code === 'invalid_config' || error.code === 'invalid_request') throw error;
      }
    }
  }

  const wrapped: CredentialSource = {
    acquire,
    reportSuccess: (id, info) => source.reportSuccess(id, info),
    reportFailure: (id, error) => {
      if (error.code === 'permission') {
        projects.delete(id);
        stale.add(id);
      }
      source.reportFailure(id, error);
    },
  };
  // The rejected token goes on: the source tells a 401 for a token it already replaced from one for the current token.
  const onUnauthorized = source.onUnauthorized;
  if (onUnauthorized) wrapped.onUnauthorized = (id, rejected) => onUnauthorized.call(source, id, rejected);
  if (source.reportRateLimit) wrapped.reportRateLimit = (id, info) => source.reportRateLimit?.(id, info);
  return wrapped;
}
