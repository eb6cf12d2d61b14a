-- Redis-shaped scripts: many EVAL-like invocations, each parsing ARGV strings with tonumber,
-- about a dozen calls to a stand-in for redis.call over a keyspace table, string ops
-- (sub, upper, find), and a result table.
local keyspace = {}

local function call(cmd, key, a, b)
  if cmd == "GET" then
    local v = keyspace[key]
    return v
  elseif cmd == "SET" then
    keyspace[key] = a
    return "OK"
  elseif cmd == "INCRBY" then
    local v = (tonumber(keyspace[key]) or 0) + a
    keyspace[key] = tostring(v)
    return v
  elseif cmd == "HSET" then
    local h = keyspace[key]
    if type(h) ~= "table" then h = {}; keyspace[key] = h end
    local new = h[a] == nil and 1 or 0
    h[a] = b
    return new
  elseif cmd == "HGET" then
    local h = keyspace[key]
    return h and h[a]
  elseif cmd == "EXISTS" then
    return keyspace[key] ~= nil and 1 or 0
  elseif cmd == "DEL" then
    local had = keyspace[key] ~= nil and 1 or 0
    keyspace[key] = nil
    return had
  end
  error("unknown command " .. cmd)
end

-- One "script": a rate limiter plus a user-record update.
local function script(KEYS, ARGV)
  local limit = tonumber(ARGV[1])
  local cost = tonumber(ARGV[2])
  local name = ARGV[3]
  local counter = KEYS[1] .. ":count"
  local used = tonumber(call("GET", counter) or "0")
  local result = {}
  if used + cost <= limit then
    result[#result + 1] = call("INCRBY", counter, cost)
  else
    call("SET", counter, "0")
    result[#result + 1] = 0
  end
  local user = KEYS[2]
  call("HSET", user, "name", string.upper(name))
  call("HSET", user, "short", string.sub(name, 1, 3))
  local seen = call("HGET", user, "seen")
  call("HSET", user, "seen", tostring((tonumber(seen) or 0) + 1))
  local at = string.find(name, "_", 1, true)
  result[#result + 1] = at or -1
  result[#result + 1] = call("HGET", user, "short")
  if call("EXISTS", KEYS[3]) == 1 then
    result[#result + 1] = call("DEL", KEYS[3])
  else
    call("SET", KEYS[3], ARGV[4])
    result[#result + 1] = call("GET", KEYS[3])
  end
  result[#result + 1] = call("INCRBY", "global:calls", 1)
  return result
end

local total = 0
for i = 1, 50000 do
  local id = i % 500
  local KEYS = {"rate:" .. id, "user:" .. id, "tmp:" .. i % 7}
  local ARGV = {"100", tostring(i % 9 + 1), "name_" .. id, tostring(i)}
  local r = script(KEYS, ARGV)
  total = total + r[1] + r[2] + #r[3] + #tostring(r[4]) + r[5] % 1000
end
local users = 0
for k, v in pairs(keyspace) do
  if type(v) == "table" then users = users + tonumber(v.seen) end
end
print(string.format("%d %d", total, users))
