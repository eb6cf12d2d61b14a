-- The instructions the loader specializes (field access with constant keys, arithmetic and
-- comparisons with a constant), in every case their fast paths do not take.

-- GETTABLE with a constant string key.
local t = {x = 1}
print(t.x, t.y)
local chain = setmetatable({}, {__index = setmetatable({a = "A"}, {__index = {b = "B"}})})
print(chain.a, chain.b, chain.c)
local computed = setmetatable({}, {__index = function(_, k) return k .. "!" end})
print(computed.key, rawget(computed, "key"))
local s = "text"
print(type(s.len), s.len == string.len, (s.upper)(s))
print(pcall(function() local n = nil; return n.field end))
print(pcall(function() return (1).field end))
print(pcall(function() local b = true; return b.field end))

-- SETTABLE with a constant string key, on objects with and without `__newindex`.
local log = {}
local class = {__newindex = function(o, k, v) log[#log + 1] = k .. "=" .. tostring(v); rawset(o, k, v) end}
local o = setmetatable({hits = 0}, class)
o.hits = o.hits + 1      -- present: assigned, no __newindex
o.fresh = 1              -- absent: __newindex
o.fresh = 2              -- present now: assigned
o.hits = nil             -- present: assigned nil
o.hits = 5               -- absent again: __newindex
print(o.hits, o.fresh, table.concat(log, " "))
local proxy_store = {}
local proxy = setmetatable({}, {__newindex = proxy_store})
proxy.a = 1
print(rawget(proxy, "a"), proxy_store.a)
local mt_changed = {}
local obj = setmetatable({}, mt_changed)
obj.v = 1
mt_changed.__newindex = function() error("blocked") end
obj.v = 2                 -- present: no __newindex
print(obj.v, pcall(function() obj.w = 1 end))
-- A metatable's own field changed through a field assignment: its metamethods follow.
local base = {}
local mt = {__index = base}
local inst = setmetatable({}, mt)
base.m = "first"
print(inst.m)
mt.__index = {m = "second"}
print(inst.m)
local C = setmetatable({}, {}) -- a class that has a metatable itself
C.__index = C
C.k = "own"
local ci = setmetatable({}, C)
print(ci.k)               -- the class idiom, remembered by the metatable
C.__index = {k = "other"} -- present: assigned, and the metatable forgets
print(ci.k)
print(pcall(function() local n; n.x = 1 end))
print(pcall(function() local str = "s"; str.x = 1 end))

-- Arithmetic with a number constant, and of two registers.
local function arith(v)
  return v + 1, v - 1, v * 2, v / 2, v % 3, v + v
end
print(arith(10))
print(arith("10"))
print(arith(" 0x10 "))
local num = setmetatable({}, {
  __add = function(a, b) return "add" end, __sub = function(a, b) return "sub" end,
  __mul = function(a, b) return "mul" end, __div = function(a, b) return "div" end,
  __mod = function(a, b) return "mod" end,
})
print(-7 % 3, 7 % -3, 5.5 % 2, -0.0 % 1, 1 % 0 ~= 1 % 0, 7 % math.huge ~= 7 % math.huge)
print(arith(num))
print(pcall(arith, nil))
print(pcall(arith, "ten"))
print(pcall(function() local t2 = {}; return t2 * 3 end))
print(1 / 0, -1 / 0, 0 / 0 ~= 0 / 0)

-- Comparisons with a constant.
local function classify(v)
  local r = {}
  r[#r + 1] = tostring(v == 0)
  r[#r + 1] = tostring(v == "0")
  r[#r + 1] = tostring(v == true)
  r[#r + 1] = tostring(v == nil)
  r[#r + 1] = tostring(v ~= 1.5)
  return table.concat(r, ",")
end
for _, v in ipairs({0, "0", true, false, 1.5, -0}) do print(classify(v)) end
print(classify(nil))
local eq_mt = {__eq = function() return true end}
print(classify(setmetatable({}, eq_mt)))
local nan = 0 / 0
print(nan == nan, classify(nan))
local function order(v)
  return v < 2, v <= 2, v > 2, v >= 2
end
print(order(1))
print(order(2))
print(order(3))
print(order(0 / 0))
print(pcall(order, "1"))
print(pcall(order, nil))
local lt_mt = {__lt = function() return true end, __le = function() return false end}
print(pcall(order, setmetatable({}, lt_mt)))
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(20))
