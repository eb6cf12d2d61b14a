-- The interpreter keeps the upvalue handles of the closure that last used one: closures that
-- alternate, share variables, have more upvalues than it keeps, run on other threads, or are
-- changed through the debug library must each still see their own variables.

-- Two closures over different variables, called alternately.
local function counter(start)
  local n = start
  return function(d) n = n + d; return n end
end
local a, b = counter(0), counter(100)
local out = {}
for i = 1, 5 do
  out[#out + 1] = a(i)
  out[#out + 1] = b(-i)
end
print(table.concat(out, " "))

-- Closures sharing one variable, open and then closed.
local function pair()
  local x = 0
  local function inc() x = x + 1; return x end
  local function get() return x end
  inc(); inc()
  return inc, get
end
local inc, get = pair()
print(inc(), get(), inc(), get())

-- More upvalues than the loop keeps (six), read and written in turn.
local u1, u2, u3, u4, u5, u6 = 1, 2, 3, 4, 5, 6
local function many()
  u6 = u6 + u1; u5 = u5 + u2; u4 = u4 + u3
  u1 = u6 * 2
  return u1 + u2 + u3 + u4 + u5 + u6
end
print(many(), many(), u1, u2, u3, u4, u5, u6)

-- Recursion: many frames of one closure, each with its own open upvalue.
local function rec(k)
  local v = k
  local function add(d) v = v + d; return v end
  if k > 0 then
    local inner = rec(k - 1)
    return add(inner)
  end
  return add(0)
end
print(rec(10))

-- An upvalue open on another coroutine's stack, read and written from the main thread.
local set, show
local co = coroutine.create(function()
  local shared = "co"
  set = function(v) shared = v end
  show = function() return shared end
  coroutine.yield()
  return shared
end)
coroutine.resume(co)
print(show())
set("main")
print(show(), select(2, coroutine.resume(co)), show())

-- debug.setupvalue changes the value the cached handle names.
local c = counter(1)
print(c(1), debug.getupvalue(c, 1))
debug.setupvalue(c, 1, 40)
print(c(2), debug.getupvalue(c, 1))

-- Closures made in a loop, each over its own fresh variable, called in reverse.
local fs = {}
for i = 1, 6 do
  local j = i * 10
  fs[i] = function() j = j + 1; return j end
end
local res = {}
for i = 6, 1, -1 do res[#res + 1] = fs[i]() end
for i = 1, 6 do res[#res + 1] = fs[i]() end
print(table.concat(res, " "))
