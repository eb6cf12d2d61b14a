-- Tail calls that reuse the caller's frame in place (a Lua callee with fixed parameters from a
-- plain call) and the ones that go the general way (vararg callees, protected calls, coroutine
-- bodies, metamethods): results, upvalues, levels and tracebacks as in lua5.1.

-- Upvalues of the replaced frame are closed with their last values.
local function make(n)
  local x = n
  local function get() return x end
  x = x + 1
  local function id(f) return f end
  return id(get)
end
local g1, g2 = make(1), make(10)
print(g1(), g2())

-- Fewer and more arguments than parameters; a callee with many registers.
local function three(a, b, c) return a, b, c end
local function few() return three(1) end
local function many() return three(1, 2, 3, 4, 5) end
print(few())
print(many())
local function big(a)
  local l1, l2, l3, l4, l5, l6, l7, l8 = a, a, a, a, a, a, a, a
  local t = {l1, l2, l3, l4, l5, l6, l7, l8}
  return #t, l8
end
local function to_big(...) return big(...) end
local function fixed_to_big(a, b) return big(b) end
print(to_big(7), fixed_to_big(1, 2))

-- From a vararg function (its registers sit above its arguments) to a fixed one.
local function va(...) local n = select('#', ...) return three(n, ...) end
print(va("a", "b"))
print(va())

-- Levels: error(msg, 2) and getfenv(2) through frames replaced by tail calls.
local function lvl() error("at level 2", 2) end
local function t1() return lvl() end
local function t2() return t1() end
print(pcall(function() t2() end))
local env = setmetatable({}, {__index = _G})
local function where() return getfenv(2) == env end
local function tail_where() return where() end
local caller = setfenv(function() return tail_where() end, env)
print(pcall(caller))
print(debug.getinfo(1, "l").currentline)
local function info() return debug.getinfo(2, "nS").what end
local function tail_info() return info() end
print(tail_info())

-- A traceback counts each replaced frame once.
local function bottom() return debug.traceback("tb", 1) end
local function mid(n) if n == 0 then return bottom() end return mid(n - 1) end
print((mid(3):gsub("\n[^\n]*%[C%][^\n]*", "")))

-- The general paths: a protected call, a coroutine body, a metamethod, a vararg callee.
local function ret(...) return ... end
local function fixed(a, b) return b, a end
print(pcall(fixed, 1, 2))
print(coroutine.wrap(function(a) return fixed(a, "co") end)("x"))
local mt = {__index = function(t, k) return fixed(k, "meta") end}
print(setmetatable({}, mt).key)
local function to_va(a) return ret(a, a) end
print(to_va(5))
print(select('#', (function() return ret() end)()))

-- Deep tail recursion through both kinds, and errors raised by the callee.
local function down(n, acc) if n == 0 then return acc end return down(n - 1, acc + 1) end
print(down(200000, 0))
local function down_va(n, ...) if n == 0 then return select('#', ...) end return down_va(n - 1, ...) end
print(down_va(1000, 1, 2, 3))
local function bad(t) return t.x.y end
local function tail_bad(t) return bad(t) end
print(pcall(tail_bad, {}))
print(pcall(function() local notfn = 1; local function f() return notfn() end return f() end))
