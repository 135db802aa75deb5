import { KitError } from './kit-error';

/**
 * Base64 data of UTF-8 text back to the text (web-standard `atob` and `TextDecoder`; bytes that are not UTF-8 become
 * U+FFFD). Data that is not base64 throws `KitError('invalid_request')` naming the field: `"<provider>: <field>: is not base64"`.
 */
export function decodeBase64Text(data: string, field: string, provider: string): string {
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(data), (char) => char.charCodeAt(0)));
  } catch {
    throw new KitError('invalid_request', `${provider}: ${field}: is not base64`, { provider });
  }
}
