import { z } from 'zod';

/**
 * The answer of the structured-output call. Passed as `responseFormat.schema`, it is sent to the model as JSON
 * Schema, validates the answer, and types `completion.object` as `z.infer<typeof tripSchema>`.
 */
export const tripSchema = z.object({
  city: z.string(),
  country: z.string(),
  days: z.number().int().min(1),
  highlights: z.array(z.string()).describe('Three things to see or do'),
});

export type Trip = z.infer<typeof tripSchema>;

/**
 * The arguments of the `get_weather` tool. `unit` has a default: the model may leave it out, and `toolCall.input`
 * then holds `'celsius'`.
 */
export const weatherInputSchema = z.object({
  city: z.string().describe('The city, e.g. "Lisbon"'),
  days: z.number().int().min(1).max(7).describe('How many days of forecast, from today'),
  unit: z.enum(['celsius', 'fahrenheit']).default('celsius'),
});

export type WeatherInput = z.infer<typeof weatherInputSchema>;
