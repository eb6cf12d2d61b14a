-- debug.sethook / gethook: call, return, tail return, line and count events
local ev = {}
local function rec(e, l) ev[#ev + 1] = l and (e .. l) or e end
local function dump() print(table.concat(ev, " ")); ev = {} end
local function add(a, b)
  local c = a + b
  return c
end
debug.sethook(rec, "l")
local s = add(1, 2)
for i = 1, 2 do
  s = s + i
end
debug.sethook()
dump()
debug.sethook(rec, "cr")
add(1, 2)
local function tail(x) return add(x, 1) end
tail(1)
debug.sethook()
dump()
print(debug.gethook())
debug.sethook(rec, "crl", 3)
local f, m, c = debug.gethook()
print(f == rec, m, c)
debug.sethook()
local n = 0
debug.sethook(function() n = n + 1 end, "", 1)
for i = 1, 100 do end
debug.sethook()
print(n > 100 and n < 110)
n = 0
debug.sethook(function() n = n + 1 end, "", 10)
for i = 1, 100 do end
debug.sethook()
print(n)
print(debug.gethook())
-- a hook that errors: the error goes to the pcall around the code
local function body()
  local x = 1
end
local ok, msg = pcall(function()
  debug.sethook(function(e, l) debug.sethook(); error("in hook " .. l) end, "l")
  body()
end)
debug.sethook()
print(ok, msg)
-- hooks inside hooks are off; a hook may clear itself
local count = 0
debug.sethook(function(e, l)
  count = count + 1
  local y = 0
  for i = 1, 3 do y = y + i end
  debug.sethook()
end, "l")
local w = 1
print(count)
-- per-thread hooks
local co = coroutine.create(function()
  local a = 1
  coroutine.yield()
  local b = 2
end)
local lines = {}
debug.sethook(co, function(e, l) lines[#lines + 1] = l end, "l")
coroutine.resume(co)
coroutine.resume(co)
print(table.concat(lines, " "), debug.gethook())
print(pcall(debug.sethook, 1, "l"))
-- locals from a line hook
local seen
debug.sethook(function(e, l)
  local name, value = debug.getlocal(2, 1)
  if name == "q" then seen = value end
end, "l")
local function probe(q)
  local r = q
  return r
end
probe("here")
debug.sethook()
print(seen)
