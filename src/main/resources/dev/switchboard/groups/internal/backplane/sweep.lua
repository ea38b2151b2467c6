-- Removes a dead incarnation's entries from one group's presence. KEYS: the presence hash. ARGV: the entries' fields.
-- Returns the entries this call removed: whoever sweeps the same server at once, each is removed, and announced, once.
local gone = {}
for i = 1, #ARGV do
  local entry = redis.call('HGET', KEYS[1], ARGV[i])
  if entry then
    redis.call('HDEL', KEYS[1], ARGV[i])
    gone[#gone + 1] = entry
  end
end
return gone
