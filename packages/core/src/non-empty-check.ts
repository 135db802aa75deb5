import * as z from 'zod/mini';

/**
 * The check of every non-empty string setting and option ("must not be empty"), one shared instance: `parseOrThrow`
 * recognises it and tests such a field without running zod (see `validate.ts`).
 */
export const nonEmptyCheck = /* @__PURE__ */ z.refine<string>((value) => value.length > 0, { error: 'must not be empty' });
