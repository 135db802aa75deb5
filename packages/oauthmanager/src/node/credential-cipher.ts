import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';

/** The scrypt parameters of an encrypted store (kept in the file, so they can change later). */
export interface ScryptParameters {
  N: number;
  r: number;
  p: number;
}

/** An encrypted store file: AES-256-GCM over the JSON of the credentials, with a key derived by scrypt. */
export interface EncryptedEnvelope {
  version: 1;
  encryption: { algorithm: 'aes-256-gcm'; kdf: 'scrypt'; salt: string } & ScryptParameters;
  iv: string;
  tag: string;
  data: string;
}

/** 2^15 × 8 × 128 B = 32 MiB of memory and a few tens of ms per derivation (done once per file and process). */
export const defaultScrypt: ScryptParameters = { N: 32_768, r: 8, p: 1 };

/** Bound into the GCM tag: a ciphertext of another format or version does not decrypt. */
const ASSOCIATED_DATA = Buffer.from('kit-oauth-credential-store-v1');

/** Derives the 32-byte key of a passphrase and salt. */
export function deriveKey(passphrase: string, salt: Buffer, parameters: ScryptParameters): Promise<Buffer> {
  const { N, r, p } = parameters;
  return new Promise((resolve, reject) =>
    scrypt(passphrase.normalize('NFC'), salt, 32, { N, r, p, maxmem: 256 * N * r }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** Encrypts `plaintext` with a fresh 12-byte IV. */
export function encrypt(plaintext: string, key: Buffer, salt: Buffer, parameters: ScryptParameters): EncryptedEnvelope {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(ASSOCIATED_DATA);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    version: 1,
    encryption: { algorithm: 'aes-256-gcm', kdf: 'scrypt', salt: salt.toString('base64'), ...parameters },
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

/** Decrypts an envelope; throws when the key is wrong or anything was altered (the GCM tag does not match). */
export function decrypt(envelope: EncryptedEnvelope, key: Buffer): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.iv, 'base64'));
  decipher.setAAD(ASSOCIATED_DATA);
  decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(envelope.data, 'base64')), decipher.final()]).toString('utf8');
}

/** Whether parsed file content is an encrypted envelope. */
export function isEncryptedEnvelope(value: unknown): value is EncryptedEnvelope {
  const envelope = value as EncryptedEnvelope | null;
  return (
    typeof envelope === 'object' &&
    envelope !== null &&
    envelope.encryption?.algorithm === 'aes-256-gcm' &&
    envelope.encryption.kdf === 'scrypt' &&
    typeof envelope.encryption.salt === 'string' &&
    typeof envelope.iv === 'string' &&
    typeof envelope.tag === 'string' &&
    typeof envelope.data === 'string'
  );
}
