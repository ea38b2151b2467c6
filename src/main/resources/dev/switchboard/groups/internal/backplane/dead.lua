-- The servers that stopped saying they are alive. KEYS: the set of servers. ARGV: the alive keys' prefix, self.
-- The alive keys share the set's hash tag, so they are on its Redis Cluster slot.
local dead = {}
for _, server in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if server ~= ARGV[2] and redis.call('EXISTS', ARGV[1] .. server) == 0 then
    dead[#dead + 1] = server
  end
end
return dead
