-- A `GETUPVAL` A B, an `ADD` or `SUB` A A C and a `SETUPVAL` A B (`n = n + 1` on an upvalue),
-- and the same with a second `GETUPVAL` for C (`n = n + step`), which the loader fuses into one
-- dispatch (`specialize.rs`, `Vm::getupval_arith`, `Vm::getupval2_arith`): register
-- and constant operands, values that are not numbers (coercion, metamethods, errors and their
-- messages), open and closed upvalues, another thread's, upvalues past the fourth, and hooks.

-- Register and constant operands, open upvalues (this chunk's locals).
local x, s, n = 0, "10", 0
local function add(v) x = x + v; return x end
local function coerce() s = s + 1; return s end
local function sub() n = n - 2.5; return n end
local function double() n = n + n; return n end
print(add(1), add(2), coerce(), coerce(), type(s), sub(), double())

-- Errors name the operand as lua5.1 does.
print(pcall(add, nil))
local t = {}
local function bad() t = t + 1 end
print(pcall(bad))
local u = nil
local function undefined() u = u - 1 end
print(pcall(undefined))

-- A metamethod.
local obj = setmetatable({}, {__add = function(a, b) return "added" end})
local function meta() obj = obj + 1; return obj end
print(meta(), type(obj))

-- Closed upvalues: the counter idiom, with the read back after the write.
local function counter()
  local c = 0
  return function() c = c + 1; return c end, function() c = c - 10; return c end
end
local up, down = counter()
local up2 = counter()
print(up(), up(), down(), up2(), up())

-- An upvalue open on another thread's stack.
local co = coroutine.wrap(function()
  local c = 0
  local inc = function() c = c + 1; return c end
  coroutine.yield(inc)
  coroutine.yield(c)
  return c
end)
local inc = co()
print(inc(), inc(), co(), inc(), co())

-- Upvalues past the fourth of a closure.
local a1, a2, a3, a4, a5, a6 = 1, 2, 3, 4, 5, 6
local function many() a6 = a6 + 1; a5 = a5 - 1; a1 = a1 + a2; return a1, a5, a6, a3 + a4 end
print(many())
print(many())

-- Special numbers.
local z = 0/0
local function nan() z = z + 1; return z end
print(nan() ~= nan())
local big = 2^53
local function round() big = big + 1; return big end
print(string.format("%.0f", round()))
local inf = math.huge
local function neg() inf = inf - inf; return inf end
print(neg() ~= neg())

-- A register operand that is not the one loaded.
local y = 5
local function withreg(q) local r = q * 2; y = y + r; return y end
print(withreg(3), withreg(4), y)

-- A jump over the sequence, and into a loop around it.
local k = 0
local function maybe(c) if c then k = k + 1 end; return k end
print(maybe(false), maybe(true), maybe(false), maybe(true))
local total = 0
local function loop(m) for i = 1, m do total = total + i end; return total end
print(loop(10), loop(3))

-- Both operands upvalues (`n = n + step`: the second read into the next register).
local acc, step, name = 0, 3, "2"
local function bump() acc = acc + step; return acc end
local function back() acc = acc - step; return acc end
local function mixed() acc = acc + name; return acc end
local function self_sum() acc = acc + acc; return acc end
print(bump(), bump(), back(), mixed(), self_sum())
step = nil
print(pcall(bump))
step = {}
print(pcall(back))
step = 0/0
local nan_sum, nan_diff = bump(), back()
print(tostring(nan_sum) == tostring(0/0), tostring(nan_diff) == tostring(-(0/0)))
acc = 5
print(tostring(back()) == tostring(step), tostring(bump()) == tostring(step))
acc, step = 1, 2
local function twice() acc = acc + step; acc = acc + step; return acc end
print(twice(), twice())

-- Hooks see each instruction as a step of its own: count and line events.
local steps = 0
local w = 0
local function counted() w = w + 1 end
debug.sethook(function() steps = steps + 1 end, "", 1)
counted() counted()
debug.sethook()
print("count", steps, w)
local lines = {}
debug.sethook(function(e, l) lines[#lines + 1] = l end, "l")
counted()
debug.sethook()
print("lines", table.concat(lines, ","))
