/**
 * Node-only helpers of `@kit/qwen`: the device-code sign-in with PKCE.
 *
 * @module @kit/qwen/node
 */
export { loginWithQwenDevice, type QwenDeviceLoginOptions, type QwenDeviceVerification } from './login-with-qwen-device';
// PKCE lives in @kit/core (web-standard, async); re-exported here under the names this entry always had.
export { createPkcePair, pkceChallenge, type PkcePair } from '@kit/core/provider-utils';
