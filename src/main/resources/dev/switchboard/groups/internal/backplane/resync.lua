-- Makes one server's entries in a group's presence exactly those given. KEYS: the presence hash.
-- ARGV: the server's field prefix ("<server>/"), then field and entry pairs.
if #ARGV % 2 ~= 1 or string.len(ARGV[1]) < 2 then
  return redis.error_reply('ERR switchboard resync: bad arguments')
end
local mine = ARGV[1]
local keep = {}
for i = 2, #ARGV, 2 do
  keep[ARGV[i]] = ARGV[i + 1]
end
for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
  if string.sub(field, 1, string.len(mine)) == mine and keep[field] == nil then
    redis.call('HDEL', KEYS[1], field)
  end
end
for field, entry in pairs(keep) do
  redis.call('HSET', KEYS[1], field, entry)
end
return {1}
