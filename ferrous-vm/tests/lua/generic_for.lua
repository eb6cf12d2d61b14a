local function iter(max)
  return function(s, c) if c < max then return c + 1, c * c end end, nil, 0
end
for i, sq in iter(4) do print(i, sq) end
for k in pairs({}) do print("never") end
local function stateful()
  local i = 0
  return function() i = i + 1 if i <= 3 then return i, "v" .. i, "extra" end end
end
for a, b, c, d in stateful() do print(a, b, c, d) end
for k, v in next, {10} do print(k, v) end
local calls = 0
for x in function(s, c) calls = calls + 1 if calls < 3 then return calls end end do io_ = x end
print(calls, io_)
local t = {1, 2, 3}
local sum = 0
for i, v in ipairs(t) do sum = sum + i * v end
print(sum)
local co_iter = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i, i * 2) end end)
for a, b in co_iter do print("co", a, b) end
for i, v in ipairs({"a", "b", "c"}) do if i == 2 then break end print(i, v) end
local function with_state(s, c) if c < s.max then return c + 1 end end
for v in with_state, {max = 3}, 0 do print("state", v) end
local closures = {}
for k, v in ipairs({"p", "q"}) do closures[k] = function() return k, v end end
print(closures[1]())
print(closures[2]())
print(pcall(function() for k in nil do end end))
print(pcall(function() local t = {} for k in t.iter do end end))
local obj = setmetatable({}, {__call = function(self, s, c) if not c then return 1 elseif c < 3 then return c + 1 end end})
for v in obj do print("callable", v) end
local nested = 0
for _, a in ipairs({1, 2}) do for _, b in ipairs({10, 20}) do nested = nested + a * b end end
print(nested)
for k, v in pairs({x = 1}) do print(k, v) end
local bad = function() return error("iterator failed") end
for x in bad do end
