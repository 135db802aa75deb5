export { loginWithQwenDevice, type QwenDeviceLoginOptions, type QwenDeviceVerification } from './login-with-qwen-device';
export { createPkcePair, pkceChallenge, type PkcePair } from './pkce';
