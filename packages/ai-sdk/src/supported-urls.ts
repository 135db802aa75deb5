const httpUrl = /^https?:\/\/.+$/i;

/**
 * The URLs a @kit provider of `providerType` passes on to its API as they are (the AI SDK downloads every other URL
 * and sends the bytes): Anthropic fetches images and PDFs from http(s) URLs, OpenAI-style APIs fetch images. Other
 * providers get `{}`: every file is downloaded first.
 */
export function defaultSupportedUrls(providerType: string): Record<string, RegExp[]> {
  switch (providerType) {
    case 'anthropic':
      return { 'image/*': [httpUrl], 'application/pdf': [httpUrl] };
    case 'openai':
    case 'openai-compatible':
    case 'openrouter':
      return { 'image/*': [httpUrl] };
    default:
      return {};
  }
}
