/**
 * Test helper: the length of the longest run of characters of `secret` that appears in `text` (0 when none).
 * A leak check that also catches the pieces a cut leaves (`expect(longestSecretPiece(key, message)).toBeLessThan(8)`).
 */
export function longestSecretPiece(secret: string, text: string): number {
  let longest = 0;
  for (let start = 0; start + longest < secret.length; start++) {
    for (let end = start + longest + 1; end <= secret.length && text.includes(secret.slice(start, end)); end++) longest = end - start;
  }
  return longest;
}
