import { KitError, type OAuthCredential } from '@kit/core';
import { isSecureOrLoopbackURL } from '@kit/core/provider-utils';
import { isPkcs8PrivateKey } from './google-jwt-assertion';
import { GOOGLE_TOKEN_ENDPOINT } from './google-token';
import { checkVertexLocation, vertexApiRoot, vertexLocationURL } from './vertex-endpoint';

/** The OAuth scope Vertex AI needs: `https://www.googleapis.com/auth/cloud-platform`. */
export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/**
 * The access token a Vertex credential starts with: none yet (`expiresAt: 0` makes the `OAuthManager` fetch one before
 * the first call). Three characters, so nothing is ever masked for it.
 */
const NO_TOKEN_YET = '~~~';

/** The fields of a Google service-account key file (`"type": "service_account"`) that \@kit reads. */
export interface ServiceAccountKey {
  type: 'service_account';
  project_id?: string;
  private_key_id?: string;
  private_key: string;
  client_email: string;
  token_uri?: string;
}

/** The fields of an Application Default Credentials file of type `authorized_user` (`gcloud auth application-default login`). */
export interface AuthorizedUserCredentials {
  type: 'authorized_user';
  client_id: string;
  client_secret: string;
  refresh_token: string;
  quota_project_id?: string;
}

/** Where a Vertex credential's calls go, and how it is named. */
export interface VertexCredentialOptions {
  /** The credential's id in the pool (events, metrics, health); default the key's `client_email` (ADC: `'application-default'`). */
  id?: string;
  /** The project its calls bill and run in; default the key's `project_id` (ADC: `quota_project_id`), else the provider's. */
  project?: string;
  /** Its location (`us-central1`, `global`, …); default the provider's. */
  location?: string;
  /** OAuth scopes; default `[CLOUD_PLATFORM_SCOPE]`. */
  scopes?: string[];
}

type Json = Record<string, unknown>;

/** A key file given as JSON text or as the parsed object; bad input → `invalid_config` naming the field, never a value. */
function readKeyFile(input: unknown, what: string, type: string): Json {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw new KitError('invalid_config', `${what}: not JSON (pass the key file's content or its parsed object)`, { provider: 'gemini' });
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new KitError('invalid_config', `${what}: expected a key file object`, { provider: 'gemini' });
  }
  const file = value as Json;
  if (file.type !== type) throw new KitError('invalid_config', `${what}.type: expected "${type}"`, { provider: 'gemini' });
  return file;
}

function field(file: Json, name: string, what: string, required: true): string;
function field(file: Json, name: string, what: string, required: false): string | undefined;
function field(file: Json, name: string, what: string, required: boolean): string | undefined {
  const value = file[name];
  if (value === undefined || value === null || value === '') {
    if (required) throw new KitError('invalid_config', `${what}.${name}: missing`, { provider: 'gemini' });
    return undefined;
  }
  if (typeof value !== 'string') throw new KitError('invalid_config', `${what}.${name}: expected a string`, { provider: 'gemini' });
  return value;
}

/** The parts every Vertex credential shares: no token yet, its token endpoint, project, location and scopes. */
function vertexCredential(
  base: Omit<OAuthCredential, 'accessToken' | 'expiresAt'>,
  options: VertexCredentialOptions,
  project: string | undefined,
): OAuthCredential {
  const credential: OAuthCredential = { ...base, accessToken: NO_TOKEN_YET, expiresAt: 0, scopes: [...(options.scopes ?? [CLOUD_PLATFORM_SCOPE])] };
  if (project) credential.projectId = project;
  if (options.location !== undefined) {
    const location = checkVertexLocation(options.location, 'options.location', 'gemini');
    if (!project) throw new KitError('invalid_config', 'options.project: a credential with its own location needs a project too', { provider: 'gemini' });
    credential.resourceUrl = vertexLocationURL(vertexApiRoot(location), { project, location });
  }
  return credential;
}

/**
 * Turns a Google service-account key file into an `OAuthManager` credential for Vertex AI (refresh it with
 * `vertexServiceAccountRefresh`). The credential carries:
 * - `clientId` = `client_email` (the JWT's issuer), `tokenUrl` = `token_uri`, `scopes` = `cloud-platform`;
 * - the private key in `refreshToken` — the secret a refresh trades for a token — so the manager masks it everywhere,
 *   leaves it out of `export()` unless `includeSecrets`, and a `FileCredentialStore` encrypts it with the tokens;
 * - `projectId` = `options.project` ?? `project_id`, and with `options.location` a `resourceUrl` naming its Vertex
 *   endpoint: a credential's project and location win over the provider's;
 * - no access token yet (`expiresAt: 0`): the manager gets one before its first call.
 *
 * @param serviceAccount - the key file's JSON text or parsed object.
 * @throws KitError `invalid_config` naming the bad field (never its value).
 * @example
 * const vertex = createGemini({
 *   backend: 'vertex',
 *   location: 'us-central1',
 *   credentials: new OAuthManager('vertex', [vertexServiceAccountCredential(keyA), vertexServiceAccountCredential(keyB, { location: 'europe-west4' })], vertexServiceAccountRefresh),
 * });
 */
export function vertexServiceAccountCredential(serviceAccount: string | ServiceAccountKey, options: VertexCredentialOptions = {}): OAuthCredential {
  const what = 'serviceAccount';
  const file = readKeyFile(serviceAccount, what, 'service_account');
  const clientEmail = field(file, 'client_email', what, true);
  const privateKey = field(file, 'private_key', what, true);
  if (!isPkcs8PrivateKey(privateKey)) {
    throw new KitError('invalid_config', `${what}.private_key: expected a PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----)`, { provider: 'gemini' });
  }
  const tokenUrl = field(file, 'token_uri', what, false) ?? GOOGLE_TOKEN_ENDPOINT;
  // The signed assertion is a credential: https, or http to a loopback test server only.
  if (!isSecureOrLoopbackURL(tokenUrl)) {
    throw new KitError('invalid_config', `${what}.token_uri: expected an https URL (http only to a loopback test server)`, { provider: 'gemini' });
  }
  const project = options.project ?? field(file, 'project_id', what, false);
  return vertexCredential({ id: options.id ?? clientEmail, clientId: clientEmail, refreshToken: privateKey, tokenUrl }, options, project);
}

/**
 * Turns an Application Default Credentials file of type `authorized_user` (what `gcloud auth application-default
 * login` writes) into an `OAuthManager` credential for Vertex AI, refreshed by `vertexServiceAccountRefresh` with the
 * refresh-token grant at Google's token endpoint. Its project is `options.project` ?? `quota_project_id` (else the
 * provider's).
 *
 * @param credentials - the ADC file's JSON text or parsed object.
 * @throws KitError `invalid_config` naming the bad field (never its value).
 */
export function vertexAuthorizedUserCredential(credentials: string | AuthorizedUserCredentials, options: VertexCredentialOptions = {}): OAuthCredential {
  const what = 'credentials';
  const file = readKeyFile(credentials, what, 'authorized_user');
  const base = {
    id: options.id ?? 'application-default',
    clientId: field(file, 'client_id', what, true),
    clientSecret: field(file, 'client_secret', what, true),
    refreshToken: field(file, 'refresh_token', what, true),
    tokenUrl: GOOGLE_TOKEN_ENDPOINT,
  };
  return vertexCredential(base, options, options.project ?? field(file, 'quota_project_id', what, false));
}
