import { base64Url } from './base64url';
import { KitError } from './kit-error';
import type { StateCipher } from './state-store';

/** Options of `createPassphraseCipher`. */
export interface PassphraseCipherOptions {
  /**
   * PBKDF2-SHA-256 iterations for the keys this process derives (kept in each sealed value, so processes may differ).
   * Default 600 000 (OWASP's figure for PBKDF2-SHA-256); each process derives a key once per salt it meets.
   */
  iterations?: number;
}

const FORMAT = 'kit1';
const DEFAULT_ITERATIONS = 600_000;
/** A sealed value naming more iterations than this is refused (a value from the store must not stall the process). */
const MAX_ITERATIONS = 10_000_000;
/** Keys kept per cipher (one per salt met: one per process sealing). */
const MAX_CACHED_KEYS = 64;

const encoder = new TextEncoder();

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/**
 * A {@link StateCipher} for shared state stores, with web-standard crypto only (runs on Node, Bun, Deno and edge
 * workers): AES-256-GCM under a key derived from `passphrase` by PBKDF2-SHA-256, a random 96-bit IV per value, the
 * record and field name bound as additional data. Each process seals under its own random salt (kept in the value,
 * with the iteration count), so every process given the same passphrase opens what any other sealed.
 * Sealed form: `kit1.<iterations>.<salt>.<iv>.<ciphertext+tag>` (base64url).
 * @throws KitError `invalid_config` for an empty passphrase or a bad iteration count.
 */
export function createPassphraseCipher(passphrase: string, options: PassphraseCipherOptions = {}): StateCipher {
  if (typeof passphrase !== 'string' || passphrase === '') {
    throw new KitError('invalid_config', 'createPassphraseCipher: passphrase: must be a non-empty string');
  }
  const iterations = options.iterations ?? DEFAULT_ITERATIONS;
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_ITERATIONS) {
    throw new KitError('invalid_config', `createPassphraseCipher: options.iterations: must be an integer from 1 to ${MAX_ITERATIONS}`);
  }
  const subtle = crypto.subtle;
  const keys = new Map<string, Promise<CryptoKey>>();
  let salt: string | undefined;

  const keyFor = (rounds: number, saltText: string): Promise<CryptoKey> => {
    const name = `${rounds}.${saltText}`;
    let key = keys.get(name);
    if (!key) {
      if (keys.size >= MAX_CACHED_KEYS) keys.delete(keys.keys().next().value as string);
      key = subtle
        .importKey('raw', encoder.encode(passphrase.normalize('NFC')), 'PBKDF2', false, ['deriveKey'])
        .then((material) =>
          subtle.deriveKey(
            { name: 'PBKDF2', hash: 'SHA-256', salt: fromBase64Url(saltText), iterations: rounds },
            material,
            { name: 'AES-GCM', length: 256 },
            false,
            ['encrypt', 'decrypt'],
          ),
        );
      keys.set(name, key);
    }
    return key;
  };

  return {
    async seal(plaintext, context) {
      salt ??= base64Url(crypto.getRandomValues(new Uint8Array(16)));
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const key = await keyFor(iterations, salt);
      const sealed = await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(context) }, key, encoder.encode(plaintext));
      return [FORMAT, iterations, salt, base64Url(iv), base64Url(new Uint8Array(sealed))].join('.');
    },
    async open(sealed, context) {
      const parts = typeof sealed === 'string' ? sealed.split('.') : [];
      const rounds = Number(parts[1]);
      if (parts.length !== 5 || parts[0] !== FORMAT || !Number.isInteger(rounds) || rounds < 1 || rounds > MAX_ITERATIONS) {
        throw new KitError('invalid_response', 'the sealed value is not in the kit1 format');
      }
      const [, , saltText, ivText, data] = parts as [string, string, string, string, string];
      const key = await keyFor(rounds, saltText);
      try {
        const plain = await subtle.decrypt({ name: 'AES-GCM', iv: fromBase64Url(ivText), additionalData: encoder.encode(context) }, key, fromBase64Url(data));
        return new TextDecoder().decode(plain);
      } catch {
        throw new KitError('invalid_response', 'the sealed value does not open with this passphrase (or was altered or moved)');
      }
    },
  };
}
