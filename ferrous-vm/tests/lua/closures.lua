local function counter()
  local n = 0
  return function() n = n + 1 return n end
end
local c1, c2 = counter(), counter()
print(c1(), c1(), c2(), c1())
local fns = {}
for i = 1, 3 do fns[i] = function() return i end end
print(fns[1](), fns[2](), fns[3]())
local fs = {}
local j = 0
while j < 3 do j = j + 1 local k = j fs[j] = function() return k end end
print(fs[1](), fs[2](), fs[3]())
local shared
do
  local x = 10
  local function get() return x end
  local function set(v) x = v end
  shared = {get = get, set = set}
end
shared.set(42)
print(shared.get())
local function outer()
  local a = 1
  local function mid()
    local b = 2
    return function() a = a + 1; b = b + 1; return a + b end
  end
  return mid(), function() return a end
end
local inner, geta = outer()
print(inner(), inner(), geta())
local gen = {}
for _, name in ipairs({"x", "y"}) do gen[name] = function() return name end end
print(gen.x(), gen.y())
local acc = {}
for i = 1, 3 do
  local v = i * 10
  acc[i] = function(d) v = v + d return v end
end
print(acc[1](1), acc[1](1), acc[2](5), acc[3](0))
local function rec(n) if n == 0 then return 0 end return n + rec(n - 1) end
print(rec(100))
local co_shared = 0
local co = coroutine.wrap(function() co_shared = co_shared + 1 coroutine.yield() co_shared = co_shared + 10 end)
co() co()
print(co_shared)
local function make()
  local v = "open"
  local f = function() return v end
  v = "changed"
  return f
end
print(make()())
local loops = {}
for i = 1, 2 do
  for j = 1, 2 do
    loops[#loops + 1] = function() return i * 10 + j end
  end
end
print(loops[1](), loops[2](), loops[3](), loops[4]())
local breakers = {}
for i = 1, 5 do
  local x = i
  breakers[i] = function() return x end
  if i == 3 then break end
end
print(breakers[1](), breakers[3](), breakers[4])
local function self_ref()
  local function f(n) if n > 0 then return f(n - 1) end return "done" end
  return f
end
print(self_ref()(10))
local upcoro = coroutine.create(function()
  local x = 1
  local get = function() return x end
  coroutine.yield(get)
  x = 2
  coroutine.yield(get)
end)
local _, g = coroutine.resume(upcoro)
print(g())
coroutine.resume(upcoro)
print(g())
