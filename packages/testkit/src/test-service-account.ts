/** A Google service-account key file of the shape \@kit reads (`"type": "service_account"`). */
export interface TestServiceAccountKeyFile {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  /** A PKCS#8 PEM private key generated for this test run only. */
  private_key: string;
  client_email: string;
  client_id: string;
  auth_uri: string;
  token_uri: string;
}

/** A throwaway service account: its key file and the public half the mock token endpoint verifies with. */
export interface TestServiceAccount {
  /** Pass to `vertexServiceAccountCredential`. */
  keyFile: TestServiceAccountKeyFile;
  /** Register with `createMockGoogleTokenEndpoint({ serviceAccounts })`. */
  publicKey: CryptoKey;
  clientEmail: string;
}

/** Options of `createTestServiceAccount`. */
export interface TestServiceAccountOptions {
  /** The account name before `@` (default `test-sa`). */
  name?: string;
  /** `project_id` and the email's domain (default `test-project`). */
  project?: string;
  /** `token_uri`: the mock endpoint's `tokenUrl` (default Google's, for files that never reach a token endpoint). */
  tokenUri?: string;
}

let keyCounter = 0;

const base64 = (bytes: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(bytes)));

/**
 * Generates a service account for a test: a fresh 2048-bit RSA key pair made with Web Crypto at run time (no private
 * key is ever committed), the key file Google would issue for it (pointing at `tokenUri`), and the public key.
 */
export async function createTestServiceAccount(options: TestServiceAccountOptions = {}): Promise<TestServiceAccount> {
  const name = options.name ?? 'test-sa';
  const project = options.project ?? 'test-project';
  const pair = await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  );
  const pkcs8 = base64(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
  const pem = `-----BEGIN PRIVATE KEY-----\n${(pkcs8.match(/.{1,64}/g) ?? []).join('\n')}\n-----END PRIVATE KEY-----\n`;
  const clientEmail = `${name}@${project}.iam.gserviceaccount.com`;
  keyCounter += 1;
  return {
    clientEmail,
    publicKey: pair.publicKey,
    keyFile: {
      type: 'service_account',
      project_id: project,
      private_key_id: `test-key-id-${keyCounter}`,
      private_key: pem,
      client_email: clientEmail,
      client_id: `10000000000000000${String(keyCounter).padStart(5, '0')}`,
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: options.tokenUri ?? 'https://oauth2.googleapis.com/token',
    },
  };
}
