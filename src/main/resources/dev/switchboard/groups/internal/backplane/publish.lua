-- Appends a message to a group's stream and publishes it, with the group's next offset: one atomic step, so every
-- server sees one order. KEYS: meta (hash: e = epoch, o = top offset), stream (entry id = offset), result (this
-- publish's place, kept so that a replayed publish gets the same one).
-- ARGV: payload, id, keep, ttl, new epoch, seen epoch, seen offset, channel, result ttl.
-- Everything is checked before the first write: Redis does not roll back a script that fails part-way.
local done = redis.call('GET', KEYS[3])
if done then
  local colon = string.find(done, ':', 1, true)
  return {string.sub(done, colon + 1), tonumber(string.sub(done, 1, colon - 1)), 1}
end
local keep, ttl, seen, resultTtl = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[7]), tonumber(ARGV[9])
if not keep or keep < 1 or not ttl or ttl < 1 or not seen or not resultTtl or resultTtl < 1
    or string.len(ARGV[5]) == 0 or string.find(ARGV[2], ':', 1, true) then
  return redis.error_reply('ERR switchboard publish: bad arguments')
end
local epoch = epoch_and_top(ARGV[5], ARGV[6], seen)
local offset = redis.call('HINCRBY', KEYS[1], 'o', 1)
redis.call('XADD', KEYS[2], 'MAXLEN', keep, offset .. '-0', 'd', ARGV[1], 'i', ARGV[2])
redis.call('EXPIRE', KEYS[1], ttl)
redis.call('EXPIRE', KEYS[2], ttl)
redis.call('SET', KEYS[3], offset .. ':' .. epoch, 'EX', resultTtl)
redis.call('PUBLISH', ARGV[8], offset .. ':' .. epoch .. ':' .. ARGV[2] .. ':' .. ARGV[1])
return {epoch, offset, 0}
