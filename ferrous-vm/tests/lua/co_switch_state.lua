-- The state of the thread that stopped running last is read and written like any other:
-- status, upvalues shared with it, debug functions, collection of abandoned coroutines.
local shared = 0
local co = coroutine.create(function(a)
  local x = a
  local function bump() x = x + 1; shared = shared + 1; return x end
  while true do
    local cmd = coroutine.yield(bump())
    if cmd == "stop" then break end
  end
  return "stopped", x
end)
print(coroutine.resume(co, 10))
print(coroutine.status(co), shared)
print(debug.getlocal(co, 1, 1))
print(debug.setlocal(co, 1, 2, 100))
print(coroutine.resume(co))
print(debug.traceback(co))
print(coroutine.resume(co, "stop"))
print(coroutine.status(co))
-- A closure over the main chunk's local, called from the coroutine while main is suspended.
local count = 0
local gen = coroutine.wrap(function()
  while true do count = count + 1; coroutine.yield(count) end
end)
for _ = 1, 5 do gen() end
print(count, gen(), count)
-- Two generators in turn: each switch parks one state and evicts the other.
local function counter(step)
  return coroutine.wrap(function()
    local n = 0
    while true do n = n + step; coroutine.yield(n) end
  end)
end
local a, b = counter(1), counter(10)
local s = 0
for _ = 1, 10 do s = s + a() + b() + a() end
print(s)
-- Nested: a coroutine resuming another.
local inner = counter(100)
local outer = coroutine.wrap(function()
  while true do coroutine.yield(inner() + inner()) end
end)
print(outer(), outer(), outer())
-- Suspended coroutines no longer referenced are collected; live ones are not.
local weak = setmetatable({}, {__mode = "k"})
local keep = coroutine.create(function() coroutine.yield() end)
coroutine.resume(keep)
weak[keep] = "keep"
do
  local lost = coroutine.create(function() coroutine.yield() end)
  coroutine.resume(lost)
  weak[lost] = "lost"
end
collectgarbage()
collectgarbage()
local names = {}
for _, v in pairs(weak) do names[#names + 1] = v end
table.sort(names)
print(table.concat(names, ","), coroutine.status(keep))
-- The generator that yielded last is collected too once dropped.
do
  local g = coroutine.create(function() while true do coroutine.yield() end end)
  coroutine.resume(g)
  weak[g] = "gen"
end
collectgarbage()
local n = 0
for _ in pairs(weak) do n = n + 1 end
print(n)
-- Hooks and environments of a suspended coroutine.
local h = coroutine.create(function() coroutine.yield(getfenv(0) == _G) return getfenv(0).marker end)
print(coroutine.resume(h))
debug.setfenv(h, {marker = "env"})
debug.sethook(h, function() end, "c")
print(type(debug.gethook(h)), select(2, debug.gethook(h)))
print(coroutine.resume(h))
-- Errors: a dead coroutine's traceback, resuming dead and running coroutines.
local bad = coroutine.create(function() coroutine.yield(1); error("boom") end)
print(coroutine.resume(bad))
print(coroutine.resume(bad))
print(coroutine.resume(bad))
print((debug.traceback(bad):gsub("\n%s*%[C%]: %?", "")))
local self_resume
self_resume = coroutine.create(function() return coroutine.resume(self_resume) end)
print(coroutine.resume(self_resume))
local w = coroutine.wrap(function() error({code = 1}) end)
local ok, e = pcall(w)
print(ok, type(e), e.code)
local w2 = coroutine.wrap(function() coroutine.yield() error("wrapped", 0) end)
w2()
print(pcall(w2))
print(pcall(w2))
