import type { StandardSchemaResult, StandardSchemaV1 } from './standard-schema';

/**
 * A Standard Schema whose `validate` answers with a bare thenable, as a minimal library may: its `then` calls back
 * (after a timer turn) with the value plus `checked: true`, and returns nothing, so it is no promise to chain on.
 */
export function thenableSchema(): StandardSchemaV1 {
  return {
    '~standard': {
      version: 1,
      vendor: 'test',
      validate: (value) =>
        ({
          // biome-ignore lint/suspicious/noThenProperty: a bare thenable is what this schema is for
          then(resolve: (result: StandardSchemaResult<unknown>) => void) {
            setTimeout(() => resolve({ value: { ...(value as object), checked: true } }), 1);
          },
        }) as unknown as Promise<StandardSchemaResult<unknown>>,
    },
  };
}
