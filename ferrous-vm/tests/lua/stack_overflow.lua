local function inf(n) return 1 + inf(n + 1) end
local ok, e = pcall(inf, 1)
print(ok, e)
local depth = 0
local function count() depth = depth + 1 count() end
print(pcall(count))
print(depth > 1000)
local function inf2() local t = {} t[1] = inf2() return t end
print(pcall(inf2))
print(select('#', pcall(inf, 1)))
-- the VM is usable after a stack overflow
local function fine(n) if n == 0 then return "fine" end return (fine(n - 1)) end
print(fine(1000))
-- metamethod recursion: each __index call is a C call
local mt = {}
mt.__index = function(t, k) return setmetatable({}, mt)[k] end
print(pcall(function() return setmetatable({}, mt).x end))
-- recursive __tostring through tostring
local rt = setmetatable({}, {})
getmetatable(rt).__tostring = function(self) return tostring(self) end
print(pcall(tostring, rt))
-- deep pcall nesting
local function nest(n) if n == 0 then return "bottom" end return select(2, pcall(nest, n - 1)) end
print(nest(150))
print(pcall(nest, 250))
-- coroutine inside coroutine, deeply
local function co_nest(n)
  if n == 0 then return "co bottom" end
  local co = coroutine.create(co_nest)
  local ok, v = coroutine.resume(co, n - 1)
  return v
end
print(co_nest(100))
print(co_nest(300))
local function arith_loop()
  local m = setmetatable({}, {})
  getmetatable(m).__add = function(a, b) return a + b end
  return m + 1
end
print(pcall(arith_loop))
inf(1)
