-- Where a group's stream stands, and some of its entries. KEYS: meta, stream.
-- ARGV: after (-1: the latest ones), count, ttl, new epoch, seen epoch, seen offset.
-- Starts a new epoch when the group has none or Redis is behind what a server saw (epoch.lua).
local after, count, ttl, seen = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[6])
if not after or not count or count < 0 or not ttl or ttl < 1 or not seen or string.len(ARGV[4]) == 0 then
  return redis.error_reply('ERR switchboard read: bad arguments')
end
local epoch, top = epoch_and_top(ARGV[4], ARGV[5], seen)
redis.call('EXPIRE', KEYS[1], ttl)
local entries = {}
if count > 0 then
  if after < 0 then
    entries = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', count)
  else
    entries = redis.call('XRANGE', KEYS[2], (after + 1) .. '-0', '+', 'COUNT', count)
  end
end
return {epoch, top, entries, after < 0 and 1 or 0}
