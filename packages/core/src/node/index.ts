/**
 * Node-only helpers of `@kit/core` for provider packages (they use `node:http`): the loopback redirect of a browser
 * sign-in, and showing its URL.
 *
 * @module @kit/core/node
 */
export {
  showSignInUrl,
  waitForLoopbackCallback,
  type LoopbackCallback,
  type LoopbackCallbackOptions,
  type LoopbackCallbackWait,
  type SignInUrlOptions,
} from './loopback-callback';
