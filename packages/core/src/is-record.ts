/** Whether a value is an object other than an array (`null` is none): a record whose fields may be read. */
export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
