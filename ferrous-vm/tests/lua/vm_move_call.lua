-- A `MOVE` followed by a `CALL` (`f(x)`, `c()`), which the loader fuses into one dispatch
-- (`specialize.rs`): jumps onto the call, natives and non-functions called, results, errors at
-- the call's position, and hooks.

-- The plain cases: a local function, its argument the last `MOVE`; a native; no argument.
local function id(...) return ... end
local x, y = 1, "two"
print(id(x), id(y), id(x, y))
local up = string.upper
print(up(y))
local function three() return 1, 2, 3 end
local t = three
print(t())

-- A jump that lands on the `CALL`, skipping the `MOVE` before it: `f(a or b)`.
local function show(v) return "got " .. tostring(v) end
local a, b = nil, "b"
print(show(a or b), show(x or b))
local c
for i = 1, 3 do
  c = i % 2 == 0
  print(id(c and x or y))
end

-- A callable table and a value that cannot be called, after the fused `MOVE`.
local callable = setmetatable({}, {__call = function(self, v) return "called with " .. v end})
local v = 7
print(callable(v))
local notfn = 42
print(pcall(function() local w = v; notfn(w) end))
local ok, err = pcall(function()
  local g = nil
  local arg1 = x
  g(arg1)
end)
print(ok, err)

-- Recursion and a coroutine switch through the fused call.
local function depth(n) if n == 0 then return 0 end local m = n - 1; return 1 + depth(m) end
print(depth(50))
local co = coroutine.wrap(function(s)
  local yield = coroutine.yield
  while true do s = yield(s) end
end)
local s = "s1"
print(co(s), co("s2"))

-- Hooks see the `MOVE` and the `CALL` as steps of their own: count and line events.
local steps = 0
local function body()
  local f, arg = id, 1
  f(arg); f(arg)
  return f(arg)
end
debug.sethook(function() steps = steps + 1 end, "", 1)
body()
debug.sethook()
print("count events", steps)
local lines = {}
local function two_lines()
  local f = id
  f(
    x)
  return 1
end
debug.sethook(function(_, line) lines[#lines + 1] = line end, "l")
two_lines()
debug.sethook()
print("line events", table.concat(lines, " "))
