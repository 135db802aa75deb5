/** Runs a credential source's bookkeeping (a report): its failure must never fail the request. */
export function safely(action: () => void): void {
  try {
    action();
  } catch {
    // A credential source's bookkeeping failure must not fail the request.
  }
}

/** A body as JSON when it is JSON, else as the text it is (error bodies of gateways are often plain text). */
export function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
