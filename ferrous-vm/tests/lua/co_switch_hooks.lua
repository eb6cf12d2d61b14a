-- Call and return hooks around coroutine switches: `yield` returns when the coroutine is
-- resumed, `resume` (or a `wrap` function) returns when the coroutine yields, returns or
-- fails.
local log = {}
local function hook(ev)
  local info = debug.getinfo(2, "nS")
  log[#log + 1] = ev .. ":" .. tostring(info and info.name) .. ":" .. (info and info.what or "?")
end
local co = coroutine.wrap(function(a)
  debug.sethook(hook, "cr")
  local b = coroutine.yield(a + 1)
  local c = coroutine.yield(b * 2)
  debug.sethook()
  return c
end)
print(co(1), co(5), co("x"))
print(table.concat(log, " "))
log = {}
debug.sethook(hook, "cr")
local g = coroutine.wrap(function() coroutine.yield(1) end)
g() g()
local c2 = coroutine.create(function(x) local y = coroutine.yield(x) error("bad " .. y) end)
local r1 = {coroutine.resume(c2, 7)}
local r2 = {coroutine.resume(c2, 8)}
debug.sethook()
-- Not under the hook (pcall's own `return` events are checked by hook_native_returns.lua).
local ok = pcall(coroutine.wrap(function() error("wrapped") end))
print(r1[1], r1[2], r2[1], r2[2], ok)
print(table.concat(log, " "))
-- A count hook keeps counting across switches.
local n = 0
debug.sethook(function() n = n + 1 end, "", 10)
local gen = coroutine.wrap(function() for i = 1, 100 do coroutine.yield(i) end end)
local s = 0
for _ = 1, 100 do s = s + gen() end
debug.sethook()
print(s, n > 0)
-- A line hook set inside a coroutine stays with it.
local lines = {}
local lc = coroutine.create(function()
  debug.sethook(function(_, l) lines[#lines + 1] = l end, "l")
  coroutine.yield()
  local z = 1
  coroutine.yield(z)
end)
coroutine.resume(lc)
local main_line = 1
coroutine.resume(lc)
coroutine.resume(lc)
print(#lines, main_line)
