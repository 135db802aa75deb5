export { createEcho, defineEchoProvider, echoFallbackModels } from './echo-provider';
export { ECHO_API_KEY_ENV_VAR, ECHO_BASE_URL, ECHO_DEFAULT_MODEL, echoSettingsSchema, type EchoSettings } from './echo-settings';
export { buildEchoRequest, type EchoRequestBody, type EchoTurn } from './echo-request';
export { refineEchoError } from './echo-errors';
export { createEchoStreamMapper, echoFinishReason, echoUsage, parseEchoResponse } from './echo-stream';
