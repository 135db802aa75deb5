/** A body as JSON when it is JSON, else as the text it is (error bodies of gateways are often plain text). */
export function parseJsonOrText(text: string): unknown {
  if (text === '') return '';
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
