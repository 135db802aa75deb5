import { createHash } from 'node:crypto';

/** A Lua script run with EVALSHA (EVAL once when the server does not know it yet). */
export interface RedisScript {
  readonly source: string;
  readonly sha: string;
}

const script = (source: string): RedisScript => ({ source, sha: createHash('sha1').update(source).digest('hex') });

// Every script touches one credential's keys only: `<prefix>:{<credential>}:…` share a hash tag, so they live on one
// Redis Cluster slot. Numbers are epoch ms and counters (exact in Lua's doubles); cjson writes up to 14 digits, which
// holds epoch ms until the year 5138.

/**
 * The health merge (`mergeSharedHealth` of @kit/core, field by field): a larger value wins; a smaller one replaces only
 * a value its writer knew. Bumps the version, keeps the hash `retentionMs` past its last deadline, publishes the record.
 * KEYS: health hash. ARGV: channel, credential key, retentionMs, wall now, next × 5, known × 5.
 * Returns the published message.
 */
export const mergeHealthScript = script(`
local fields = {'penaltyUntil', 'rateLimitedUntil', 'consecutiveFailures', 'unhealthy', 'disabled'}
local stored = redis.call('HMGET', KEYS[1], unpack(fields))
local health = {}
local values = {}
for i, field in ipairs(fields) do
  local current = tonumber(stored[i]) or 0
  local nextValue = tonumber(ARGV[4 + i])
  if nextValue > current or (nextValue < current and current <= tonumber(ARGV[9 + i])) then current = nextValue end
  health[field] = current
  values[#values + 1] = field
  values[#values + 1] = string.format('%d', current)
end
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HSET', KEYS[1], unpack(values))
local latest = math.max(health.penaltyUntil, health.rateLimitedUntil, tonumber(ARGV[4]))
redis.call('PEXPIREAT', KEYS[1], string.format('%d', latest + tonumber(ARGV[3])))
local message = cjson.encode({type = 'health', key = ARGV[2], record = {version = version, health = health}})
redis.call('PUBLISH', ARGV[1], message)
return message
`);

/**
 * The refresh lock: `SET lock <fence> NX PX ttl` with a fencing token from the credential's counter.
 * KEYS: lock, fence counter. ARGV: ttlMs. Returns the fencing token, or nil when the lock is held.
 */
export const lockScript = script(`
local fence = redis.call('INCR', KEYS[2])
if redis.call('SET', KEYS[1], fence, 'NX', 'PX', ARGV[1]) then return fence end
return false
`);

/** Extends the lock while the fencing token still holds it. KEYS: lock. ARGV: fence, ttlMs. Returns 1 or 0. */
export const extendLockScript = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`);

/** Releases the lock held by a fencing token and publishes an unlock. KEYS: lock. ARGV: fence, channel, message. */
export const unlockScript = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], ARGV[3])
  return 1
end
return 0
`);

/**
 * Writes new tokens in one step — access token, expiry and rotated refresh token together — and publishes them.
 * With a fence: only while it holds the lock and is newer than the fence of the stored tokens. Without (re-sync after
 * an outage): only when the tokens come from a later refresh than the stored ones.
 * KEYS: token hash, lock. ARGV: channel, credential key, fence or '', retentionMs, then field/value pairs.
 * Returns the new version, or nil when nothing was written.
 */
export const commitTokenScript = script(`
local fence = ARGV[3]
local token = {}
for i = 5, #ARGV, 2 do token[ARGV[i]] = ARGV[i + 1] end
if fence ~= '' then
  if redis.call('GET', KEYS[2]) ~= fence then return false end
  if tonumber(fence) <= (tonumber(redis.call('HGET', KEYS[1], 'fence')) or 0) then return false end
else
  fence = redis.call('HGET', KEYS[1], 'fence') or '0'
  if (tonumber(token.lastRefreshAt) or -1) <= (tonumber(redis.call('HGET', KEYS[1], 'lastRefreshAt')) or -1) then return false end
end
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HDEL', KEYS[1], 'refreshToken', 'expiresAt', 'lastRefreshAt', 'refreshCount', 'resourceUrl')
local values = {'fence', fence}
for i = 5, #ARGV do values[#values + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(values))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
token.version = version
redis.call('PUBLISH', ARGV[1], cjson.encode({type = 'token', key = ARGV[2], token = token}))
return version
`);
