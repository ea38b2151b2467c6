-- Put before publish.lua and read.lua (RedisBackplane.Script): where a group stands, with the one guard both need.
-- KEYS[1]: meta (hash: e = epoch, o = top offset), KEYS[2]: stream. No epoch: the group is new, or Redis lost it.
-- Behind what a server saw in the same epoch: Redis came back from an older snapshot and would hand out offsets that
-- clients already have. Either way a new epoch starts, with an empty stream.
local function epoch_and_top(new_epoch, seen_epoch, seen)
  local epoch = redis.call('HGET', KEYS[1], 'e')
  local top = tonumber(redis.call('HGET', KEYS[1], 'o') or '0')
  if not epoch or (epoch == seen_epoch and top < seen) then
    epoch = new_epoch
    top = 0
    redis.call('DEL', KEYS[2])
    redis.call('HSET', KEYS[1], 'e', epoch, 'o', 0)
  end
  return epoch, top
end
