import { KitError, type OAuthCredential } from '@kit/core';
import { httpURLSchema, isSecureOrLoopbackURL, nonEmptyStringSchema, parseOrThrow } from '@kit/core/provider-utils';
import * as z from 'zod/mini';
import { azureCredentialBaseURL } from './azure-base-url';
import { azureResourceNamePattern } from './azure-settings';

/** Microsoft Entra ID's authority host in the global cloud. */
export const ENTRA_AUTHORITY_HOST = 'https://login.microsoftonline.com';
/** The scope of an Azure OpenAI (Cognitive Services) token requested with the client-credentials grant. */
export const AZURE_COGNITIVE_SERVICES_SCOPE = 'https://cognitiveservices.azure.com/.default';
/**
 * The access token of a credential no token was issued for yet. Its `expiresAt` is 0, so an `OAuthManager` calls the
 * refresh function before the first request: this value is never sent.
 */
export const AZURE_ENTRA_PENDING_TOKEN = 'entra:not-issued-yet';

// Multi-tenant aliases name no tenant: the client-credentials grant needs the app's own tenant.
const aliasTenants = /^(common|organizations|consumers)$/i;

/** The token form carries the client secret: `https://`, or `http://` to a loopback test server only. */
const isSafeAuthority = isSecureOrLoopbackURL;

/** Options of `azureEntraCredential`. Strict: an unknown key is an `invalid_config` error naming it. */
export const azureEntraCredentialOptionsSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    /** The directory (tenant) id or a verified domain of the app registration (`contoso.onmicrosoft.com`). */
    tenantId: z.string().check(
      z.regex(/^[A-Za-z0-9][A-Za-z0-9.-]*$/, { error: 'must be a tenant id (GUID) or domain' }),
      z.refine((value: string) => !aliasTenants.test(value), { error: 'must name the tenant itself: common, organizations and consumers are not tenants' }),
    ),
    /** The application (client) id of the app registration or service principal. */
    clientId: nonEmptyStringSchema(),
    /** A client secret of the app registration (its value, not its secret id). */
    clientSecret: nonEmptyStringSchema(),
    /** Default `https://login.microsoftonline.com`; sovereign clouds have their own (`https://login.microsoftonline.us`). */
    authorityHost: z.optional(httpURLSchema().check(z.refine(isSafeAuthority, { error: 'must be https:// (http:// only to a loopback test server)' }))),
    /** Stable, non-secret name of the credential in events and metrics; default `{resource}/{clientId}` or `{clientId}`. */
    id: z.optional(nonEmptyStringSchema()),
    /** This credential's Azure OpenAI resource (a pool of deployments across regions); not with `baseURL`. */
    resourceName: z.optional(z.string().check(z.regex(azureResourceNamePattern, { error: 'must be an Azure resource name (letters, digits, hyphens)' }))),
    /** This credential's base URL up to `/openai` (a gateway, another cloud); not with `resourceName`. */
    baseURL: z.optional(httpURLSchema()),
    /** Default `https://cognitiveservices.azure.com/.default`. */
    scope: z.optional(nonEmptyStringSchema().check(z.regex(/\/\.default$/, { error: 'must end with /.default (client-credentials scopes name a resource)' }))),
  }))();

/** Options of `azureEntraCredential`: the app registration, and optionally the resource this credential serves. */
export type AzureEntraCredentialOptions = z.infer<typeof azureEntraCredentialOptionsSchema>;

/** The v2.0 token endpoint of a tenant: `{authorityHost}/{tenantId}/oauth2/v2.0/token`. */
export function azureEntraTokenURL(tenantId: string, authorityHost: string = ENTRA_AUTHORITY_HOST): string {
  return `${authorityHost.replace(/\/+$/, '')}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`;
}

/**
 * An `OAuthManager` credential for a Microsoft Entra ID app registration (service principal), refreshed by
 * `azureEntraRefresh` with the client-credentials grant. It holds no token yet (`expiresAt: 0`): the manager gets one
 * before the first request and again before each expiry. The tenant's token endpoint goes in `tokenUrl`, the resource
 * (when given) in `resourceUrl`, so one pool can span tenants, regions and resources.
 *
 * @example
 * const pool = new OAuthManager('azure', [
 *   azureEntraCredential({ tenantId, clientId, clientSecret, resourceName: 'my-eastus' }),
 *   azureEntraCredential({ tenantId, clientId, clientSecret, resourceName: 'my-swedencentral' }),
 * ], azureEntraRefresh);
 * const azure = createAzure({ credentials: pool });
 * @throws KitError `invalid_config` naming the bad field (never quoting the secret).
 */
export function azureEntraCredential(options: AzureEntraCredentialOptions): OAuthCredential {
  const valid = parseOrThrow(azureEntraCredentialOptionsSchema, options, 'invalid_config', { what: 'invalid azureEntraCredential options', provider: 'azure' });
  const { tenantId, clientId, clientSecret, authorityHost, resourceName, baseURL, scope = AZURE_COGNITIVE_SERVICES_SCOPE } = valid;
  if (resourceName !== undefined && baseURL !== undefined) {
    throw new KitError('invalid_config', 'invalid azureEntraCredential options: resourceName: give either resourceName or baseURL, not both', {
      provider: 'azure',
    });
  }
  const resource = resourceName ?? baseURL;
  const id = valid.id ?? (resourceName ? `${resourceName}/${clientId}` : clientId);
  if (id.includes(clientSecret))
    throw new KitError('invalid_config', 'invalid azureEntraCredential options: id: must not contain the client secret', { provider: 'azure' });
  const credential: OAuthCredential = {
    id,
    clientId,
    clientSecret,
    accessToken: AZURE_ENTRA_PENDING_TOKEN,
    expiresAt: 0,
    scopes: [scope],
    tokenUrl: azureEntraTokenURL(tenantId, authorityHost),
  };
  if (resource !== undefined) credential.resourceUrl = azureCredentialBaseURL(resource);
  return credential;
}
