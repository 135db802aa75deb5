import { createMockUpstream, faults, replies, type Behaviour, type MockUpstream } from '@kit/testkit';
import type { Trip } from './schemas';
import type { WeatherForecast } from './weather-forecast';

/** The fake keys of the local run: obviously not real. */
export const localKeys = {
  revoked: 'example-key-revoked',
  good: 'example-key-good',
  sloppy: 'example-key-sloppy',
};

/** What the local model plans; the sloppy one writes `days` as a word. */
const plannedTrip: Trip = { city: 'Lisbon', country: 'Portugal', days: 3, highlights: ['Azulejo museum', 'Tram 28', 'Pastéis de Belém'] };

type WireMessage = { role: string; content: string | null };
type WireBody = { messages?: WireMessage[]; tools?: unknown[]; response_format?: { type?: string } };

/**
 * The local model, reading OpenAI chat requests: JSON of the plan when a JSON Schema answer is asked for; with the
 * weather tool, first a call whose `days` is a word (the schema refuses it), then, told so, a correct call (without
 * `unit`: its default applies), then an answer made from the tool's result.
 */
function answer(body: unknown): Behaviour {
  const { messages = [], tools, response_format } = (body ?? {}) as WireBody;
  if (response_format?.type === 'json_schema') return replies.text(JSON.stringify(plannedTrip));
  const last = messages[messages.length - 1];
  if (tools && last?.role === 'user') return replies.toolCalls([{ name: 'get_weather', arguments: JSON.stringify({ city: 'Lisbon', days: 'two' }) }]);
  if (last?.role === 'tool' && last.content?.startsWith('Invalid arguments')) {
    return replies.toolCalls([{ name: 'get_weather', arguments: JSON.stringify({ city: 'Lisbon', days: 2 }) }]);
  }
  if (last?.role === 'tool' && last.content) {
    const forecast = JSON.parse(last.content) as WeatherForecast;
    const degrees = forecast.unit === 'celsius' ? '°C' : '°F';
    const [today, tomorrow] = forecast.days;
    return replies.text(
      `${forecast.city}: ${today?.temperature} ${degrees} and ${today?.sky} today, ${tomorrow?.temperature} ${degrees} and ${tomorrow?.sky} tomorrow.`,
    );
  }
  return replies.text('Hello from the local upstream.');
}

/**
 * A local server speaking OpenAI's chat completions API with two keys: one revoked (401 `invalid_api_key`), one
 * answering as the local model above.
 */
export function startLocalUpstream(): Promise<MockUpstream> {
  return createMockUpstream({
    dialect: 'openai',
    models: [{ id: 'gpt-6-luna' }],
    credentials: [
      { id: 'revoked', secret: localKeys.revoked, script: faults.unauthorized() },
      { id: 'good', secret: localKeys.good },
    ],
    defaultScript: (request) => answer(request.body),
  });
}

/** A local OpenAI-speaking server whose model writes the plan's `days` as a word: valid JSON, wrong type. */
export function startSloppyUpstream(): Promise<MockUpstream> {
  return createMockUpstream({
    dialect: 'openai',
    models: [{ id: 'gpt-6-luna' }],
    credentials: [{ id: 'sloppy', secret: localKeys.sloppy }],
    defaultScript: replies.text(JSON.stringify({ ...plannedTrip, days: 'three' })),
  });
}
