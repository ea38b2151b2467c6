-- Takes the incarnations that stopped saying they are alive for sweeping, and returns every one still to sweep
-- (claimed now, or earlier by a sweeper that has not finished). KEYS: the set of live incarnations, the set of those
-- to sweep. ARGV: the prefix of the servers' keys ("<prefix>:{servers}:"), the caller's incarnation, how long a
-- tombstone lasts (ms). The keys it builds share the sets' hash tag, so they are on their Redis Cluster slot.
local tombstone = tonumber(ARGV[3])
if not tombstone or tombstone < 1 then
  return redis.error_reply('ERR switchboard claim: bad arguments')
end
for _, incarnation in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if incarnation ~= ARGV[2] and redis.call('EXISTS', ARGV[1] .. 'alive:' .. incarnation) == 0 then
    redis.call('SREM', KEYS[1], incarnation)
    redis.call('SADD', KEYS[2], incarnation)
    redis.call('SET', ARGV[1] .. 'swept:' .. incarnation, '1', 'PX', tombstone)
  end
end
return redis.call('SMEMBERS', KEYS[2])
