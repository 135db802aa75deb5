/**
 * Virtual providers over other providers: `createFallback`, `createLoadBalancer`, `createRace`.
 *
 * @module @kit/router
 */
// @kit/router: virtual providers — fallback chains, load balancing and racing over other providers, stream-safe.
export { createFallback } from './create-fallback';
export { createLoadBalancer } from './create-load-balancer';
export { createRace } from './create-race';
export type { RoutableProvider, RouterEntry, RouterEntryOptions } from './router-entry';
export type { FallbackOptions, LoadBalancerOptions, LoadBalancingStrategy, RaceOptions } from './router-options';
