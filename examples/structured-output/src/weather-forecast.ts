import type { WeatherInput } from './schemas';

/** What the `get_weather` tool answers (sent back to the model as JSON). */
export interface WeatherForecast {
  city: string;
  unit: WeatherInput['unit'];
  days: { day: number; temperature: number; sky: string }[];
}

const celsiusByDay = [21, 19, 23, 18, 20, 22, 24];
const skyByDay = ['sunny', 'cloudy', 'sunny', 'rainy', 'windy', 'sunny', 'cloudy'];

/** The example's tool: a made-up, deterministic forecast (a real app would call a weather service here). */
export function weatherForecast({ city, days, unit }: WeatherInput): WeatherForecast {
  return {
    city,
    unit,
    days: Array.from({ length: days }, (_, index) => {
      const celsius = celsiusByDay[index % celsiusByDay.length] as number;
      return {
        day: index + 1,
        temperature: unit === 'celsius' ? celsius : Math.round((celsius * 9) / 5 + 32),
        sky: skyByDay[index % skyByDay.length] as string,
      };
    }),
  };
}
