-- A `GETTABLE` A B K (a constant string key), an `ADD` or `SUB` A A C and a `SETTABLE` B K A
-- (`self.n = self.n + 1`), which the loader fuses into one dispatch (`specialize.rs`,
-- `Vm::getfield_arith`): register and constant operands, the read back after the write, fields
-- that are not numbers or not there (coercion, `__index`, `__newindex`, `__add`, errors and
-- their messages), read-only tables, special numbers, jumps, and hooks.

-- Register and constant operands, the read back (`return self.n`), a subtraction.
local t = {n = 0, hits = 0}
function t:touch() self.hits = self.hits + 1; return self.hits end
local step = 2.5
local function add() t.n = t.n + step; return t.n end
local function sub() t.n = t.n - 1 end
print(t:touch(), t:touch(), add(), add(), sub(), t.n)

-- Two updates in a row: the second is not taken for the first one's read back.
local function twice() t.n = t.n + 1; t.n = t.n + 1; return t.n end
print(twice(), twice())
local function two_fields() t.n = t.n + 1; t.hits = t.hits - 1; return t.n, t.hits end
print(two_fields())

-- A string that converts, and values that do not.
local s = {v = "10"}
local function coerce() s.v = s.v + 1; return s.v end
print(coerce(), type(s.v), coerce())
local bad = {v = "x"}
print(pcall(function() bad.v = bad.v + 1 end))
local none = {}
print(pcall(function() none.v = none.v + 1 end))
local tab = {v = {}}
print(pcall(function() tab.v = tab.v - 1 end))
local notnum = {v = 1}
print(pcall(function() local q = "y"; notnum.v = notnum.v + q end))
print(pcall(function() local q = nil; notnum.v = notnum.v - q end), notnum.v)

-- The table register holding something else.
local str = "abc"
print(pcall(function() str.len = str.len + 1 end))
local nothing
print(pcall(function() nothing.n = nothing.n + 1 end))

-- Metatables: `__index` for an absent field, `__newindex` for it, `__add` on the value.
local log = {}
local base = {n = 100}
local obj = setmetatable({}, {
  __index = base,
  __newindex = function(tt, key, v) log[#log + 1] = key .. "=" .. v; rawset(tt, key, v) end,
})
local function bump() obj.n = obj.n + 1; return obj.n end
print(bump(), bump(), base.n, table.concat(log, " "))
local vec = setmetatable({}, {__add = function(a, b) return "sum" end})
local holder = {v = vec}
local function meta() holder.v = holder.v + 1; return holder.v end
print(meta(), type(holder.v))
local counted = setmetatable({n = 1}, {__newindex = function() error("not called") end})
local function existing() counted.n = counted.n + 1; return counted.n end
print(existing(), existing())

-- A field set to nil, then updated.
local gone = {n = 1}
gone.n = nil
print(pcall(function() gone.n = gone.n + 1 end))

-- Read-only tables refuse the write with their own error.
if redis == nil then
  local ro = setmetatable({}, {__index = {n = 1}, __newindex = function() error("read-only") end})
  print(pcall(function() ro.n = ro.n + 1 end))
end

-- Special numbers.
local sp = {z = 0/0, big = 2^53, inf = math.huge, k = 5}
local function nan() sp.z = sp.z + 1; return sp.z end
print(nan() ~= nan())
local function round() sp.big = sp.big + 1; return sp.big end
print(string.format("%.0f", round()))
local function inf() sp.inf = sp.inf - sp.inf; return sp.inf end
print(inf() ~= inf())
local function nan_sub() local q = 0/0; sp.k = sp.k - q; return sp.k end
local function nan_add() local q = 0/0; sp.k = 5; sp.k = sp.k + q; return sp.k end
print(tostring(nan_sub()) == tostring(5 - 0/0), tostring(nan_add()) == tostring(5 + 0/0))

-- The same field of another table, and the key in a table's array part.
local a, b = {n = 1}, {n = 10}
local function other(x) x.n = x.n + 1; return x.n end
print(other(a), other(b), other(a))
local arr = {}
arr[1] = 5
local function index(x) x[1] = x[1] + 1; return x[1] end
print(index(arr))

-- A jump over the sequence, and a loop around it.
local c = {k = 0}
local function maybe(f) if f then c.k = c.k + 1 end; return c.k end
print(maybe(false), maybe(true), maybe(false), maybe(true))
local acc = {total = 0}
local function loop(m) for i = 1, m do acc.total = acc.total + i end; return acc.total end
print(loop(10), loop(3))

-- Hooks see each instruction as a step of its own: count and line events.
local steps = 0
local h = {n = 0}
local function hooked() h.n = h.n + 1 end
debug.sethook(function() steps = steps + 1 end, "", 1)
hooked() hooked()
debug.sethook()
print("count", steps, h.n)
local lines = {}
debug.sethook(function(e, l) lines[#lines + 1] = l end, "l")
hooked()
debug.sethook()
print("lines", table.concat(lines, ","))
