/**
 * Node-only helpers of `@kit/openrouter`: "Sign in with OpenRouter" over a loopback callback.
 *
 * @module @kit/openrouter/node
 */
// Node-only helpers of @kit/openrouter (they use node:http): "Sign in with OpenRouter" over a loopback callback.
export { loginWithOpenRouter, startOpenRouterLogin, type OpenRouterLoginOptions, type OpenRouterLoginSession } from './login-with-openrouter';
export type { OpenRouterUserKey } from '../openrouter-auth';
