/** Runs a credential source's bookkeeping (a report): its failure must never fail the request. */
export function safely(action: () => void): void {
  try {
    action();
  } catch {
    // A credential source's bookkeeping failure must not fail the request.
  }
}
