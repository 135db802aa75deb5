/** Bytes as standard base64 (RFC 4648 §4, padded), with the web-standard `btoa`; a string is taken as base64 already. */
export function bytesToBase64(data: Uint8Array | string): string {
  if (typeof data === 'string') return data;
  let binary = '';
  // Chunks keep `String.fromCharCode`'s argument list short on large files.
  for (let offset = 0; offset < data.length; offset += 0x8000) {
    binary += String.fromCharCode(...data.subarray(offset, offset + 0x8000));
  }
  return btoa(binary);
}

/** Text as base64 of its UTF-8 bytes. */
export function textToBase64(text: string): string {
  return bytesToBase64(new TextEncoder().encode(text));
}
