/** Whether a wire field is set: not `null` or `undefined`, and not empty (`''`, `[]`). Unset fields are not sent. */
export function isSet(value: unknown): boolean {
  return value != null && (value as { length?: number }).length !== 0;
}

/**
 * A copy of a wire object without its unset fields (see `isSet`): unset knobs are not sent. A copy rather than
 * `delete` in place, which would turn a request body into a slow dictionary-mode object.
 */
export function compact<T extends object>(record: T): T {
  const kept = {} as T;
  for (const key in record) if (isSet(record[key])) kept[key] = record[key];
  return kept;
}
