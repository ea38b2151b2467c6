-- A server says it is alive. KEYS: its alive key, the set of servers. ARGV: ttl in ms, server id.
-- Returns {1} if the key was not there: the server's entries may have been swept, or lost with Redis' data.
local ttl = tonumber(ARGV[1])
if not ttl or ttl < 1 or string.len(ARGV[2]) == 0 then
  return redis.error_reply('ERR switchboard heartbeat: bad arguments')
end
local was = redis.call('SET', KEYS[1], '1', 'PX', ttl, 'GET')
redis.call('SADD', KEYS[2], ARGV[2])
return {was and 0 or 1}
