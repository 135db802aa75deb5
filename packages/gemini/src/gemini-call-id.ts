/** Ids @kit gives Gemini function calls that came without one. They are never sent back to Gemini. */
const SYNTHETIC_PREFIX = 'gcall_';

let counter = 0;

/** A fresh id for a function call Gemini sent without `id`: unique within the process, so history can be searched by it. */
export function syntheticCallId(): string {
  counter += 1;
  return `${SYNTHETIC_PREFIX}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}${counter.toString(36)}`;
}

/** Whether an id is one of ours (Gemini did not send it, so it is not echoed in `functionCall` / `functionResponse`). */
export function isSyntheticCallId(id: string): boolean {
  return id.startsWith(SYNTHETIC_PREFIX);
}
