-- A `SETUPVAL` followed by a `GETUPVAL` of the same upvalue into the same register
-- (`n = n + 1; return n`), which the loader fuses into one dispatch that skips the read
-- (`specialize.rs`): jumps to the read, open and closed upvalues, a coroutine's, and hooks.

-- A closed upvalue: the counter idiom.
local function counter()
  local n = 0
  return function() n = n + 1; return n end
end
local c = counter()
print(c(), c(), c())

-- A jump that lands on the read: when `c` is false, `u` is read without being written.
local u = 10
local function maybe(c, x)
  if c then u = x + 1 end
  return u
end
print(maybe(false, 5), maybe(true, 5), maybe(false, 7), u)

-- An open upvalue (the enclosing function's local, still live).
local function outer()
  local n = 100
  local function bump(step) n = n + step; return n end
  local a = bump(1)
  local b = bump(2)
  return a, b, n
end
print(outer())

-- A value that is not a number, and nil.
local s = "x"
local function grow() s = s .. "y"; return s end
print(grow(), grow())
local v = 1
local function clear() v = nil; return v end
print(clear(), v)

-- A coroutine writing and reading its creator's local across yields.
local shared = 0
local co = coroutine.wrap(function()
  for i = 1, 3 do
    shared = shared + i; local r = shared
    coroutine.yield(r)
  end
end)
print(co(), co(), co(), shared)

-- Hooks see the read as a step of its own: count and line events, as lua5.1's.
local steps = 0
local function body()
  local k = counter()
  k(); k()
  return k()
end
debug.sethook(function() steps = steps + 1 end, "", 1)
body()
debug.sethook()
print("count events", steps)
local lines = {}
local n2 = 0
local function two_lines()
  n2 = n2 + 1
  return n2
end
debug.sethook(function(_, line) lines[#lines + 1] = line end, "l")
two_lines()
debug.sethook()
print("line events", table.concat(lines, " "))
