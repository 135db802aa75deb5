/**
 * `createRedisStateStore`: the `stateStore` of `KeyManager` and `OAuthManager`, shared by many processes through Redis.
 *
 * @module @kit/store-redis
 */
export { createRedisStateStore, type RedisClient, type RedisStateStore, type RedisStateStoreOptions } from './redis-state-store';
