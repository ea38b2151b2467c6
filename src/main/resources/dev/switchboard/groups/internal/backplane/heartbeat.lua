-- A server's incarnation says it is alive. KEYS: its alive key, the set of live incarnations, its index, its
-- tombstone. ARGV: ttl in ms, the incarnation.
-- Returns {0}: fine; {1}: Redis has none of its entries (lost its data, or it has none): write them again;
-- {2}: it was taken for dead and is being swept: it must go on as a new incarnation, which the sweep cannot touch.
local ttl = tonumber(ARGV[1])
if not ttl or ttl < 1 or string.len(ARGV[2]) == 0 then
  return redis.error_reply('ERR switchboard heartbeat: bad arguments')
end
if redis.call('EXISTS', KEYS[4]) == 1 then
  return {2}
end
local was = redis.call('SET', KEYS[1], '1', 'PX', ttl, 'GET')
redis.call('SADD', KEYS[2], ARGV[2])
if was or redis.call('EXISTS', KEYS[3]) == 1 then
  return {0} -- on time, or late but not taken for dead: its entries are as it left them
end
return {1}
