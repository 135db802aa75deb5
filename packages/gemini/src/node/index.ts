/**
 * Node-only helpers of `@kit/gemini`: the loopback browser sign-in with PKCE.
 *
 * @module @kit/gemini/node
 */
// Node-only helpers of @kit/gemini (they use node:http): the loopback browser sign-in.
export {
  GOOGLE_AUTHORIZATION_ENDPOINT,
  GOOGLE_DEFAULT_SCOPES,
  loginWithGoogle,
  startGoogleLogin,
  type GoogleLoginOptions,
  type GoogleLoginSession,
} from './login-with-google';
export type { GoogleOAuthCredential } from '../gemini-oauth';
