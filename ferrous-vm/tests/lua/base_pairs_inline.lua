-- `for ... in pairs(t)` and `ipairs(t)` as the loop runs them without a call, against every
-- way the call would behave differently.
local t = {10, 20, 30, x = 1, y = 2, [2.5] = "f", [true] = "b"}
local n, sum = 0, 0
for k, v in pairs(t) do
  n = n + 1
  if type(v) == "number" then sum = sum + v end
end
print("pairs", n, sum)

-- One, two and three loop variables.
for k in pairs({a = 1}) do print("one var", k) end
for k, v, extra in pairs({a = 1}) do print("three vars", k, v, extra) end
for i, v, extra in ipairs({"a"}) do print("ipairs three", i, v, extra) end

-- Clearing fields while traversing is allowed; assigning existing ones too.
local c = {}
for i = 1, 20 do c["k" .. i] = i end
local seen = 0
for k, v in pairs(c) do
  seen = seen + 1
  c[k] = nil
end
print("cleared", seen, next(c))
local d = {a = 1, b = 2, c = 3}
for k, v in pairs(d) do d[k] = v * 10 end
print("doubled", d.a, d.b, d.c)

-- ipairs stops at the first nil, reads raw (no __index), and its control is a number.
local holes = setmetatable({1, 2, nil, 4}, {__index = function() return "meta" end})
for i, v in ipairs(holes) do print("ipairs", i, v) end
local iter, state, start = ipairs({"p", "q", "r"})
for i, v in iter, state, 1 do print("from 1", i, v) end
for i, v in iter, state, 1.7 do print("from 1.7", i, v) end
print(pcall(function() for i, v in iter, state, "1" do print("string control", i, v) end end))
print(pcall(function() for i, v in iter, 5, 0 do end end))

-- The iterator `pairs` returns, on other states and keys: the native's own errors.
local step = pairs({})
print(pcall(function() for k in step, nil do end end))
print(pcall(function() for k in step, {a = 1}, "nokey" do end end))
for k, v in step, {5, 6} do print("manual next", k, v) end
for k, v in next, {7} do print("global next", k, v) end

-- A key removed and a new one added mid-traversal: what `next` makes of it.
local e = {a = 1}
print(pcall(function()
  for k in pairs(e) do e[k] = nil; e.zz = 1; e.yy = 2 end
end))

-- Hooks see the iterator's calls (the loop then makes them).
local calls = 0
debug.sethook(function(ev) calls = calls + 1 end, "c")
for k in pairs({1, 2, 3}) do end
debug.sethook()
print("hooked calls", calls > 3)

-- A loop whose table grows past its array part while traversed by ipairs.
local g = {1}
local count = 0
for i, v in ipairs(g) do
  count = count + 1
  if i < 100 then g[i + 1] = v + 1 end
end
print("grown", count, #g)
