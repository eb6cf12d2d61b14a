-- Two closures called in turn (the interpreter keeps the upvalue handles and the open slots of
-- the last two it ran): each must keep seeing its own variables, whether open or closed, across
-- the other's calls, block ends, returns, recursion and coroutine switches.

-- An accumulator's closed upvalues and a counter's open ones, called alternately.
local function make_acc()
  local sum, count = 0, 0
  return function(v) sum = sum + v; count = count + 1; return sum, count end
end
local add = make_acc()
local total, log = 0, {}
for round = 1, 3 do
  local n = round * 100
  local function bump() n = n + 1; return n end
  for i = 1, 4 do
    local s, c = add(i)
    local b = bump()
    log[#log + 1] = s .. "/" .. c .. "/" .. b
  end
  -- `n` closes at the end of this round; the next round's `bump` is a new closure.
  total = total + n
end
print(table.concat(log, " "), total)

-- Two closures over the same open variable, one writing, one reading, then the variable closes
-- (the block ends) while both live on, and new frames reuse its stack slot.
local r, w
do
  local shared = 1
  r = function() return shared end
  w = function(v) shared = v end
  for i = 2, 4 do w(i); io.write(r(), " ") end
end
local function clobber(a, b, c, d) return a, b, c, d end
print(clobber("x", "y", "z", "q"))
for i = 5, 7 do w(i); io.write(r(), " ") end
print()

-- Alternation with a third closure in between (each call evicts the older entry).
local function cell(v) return function(d) v = v + (d or 0); return v end end
local a, b, c = cell(1), cell(10), cell(100)
local out = {}
for i = 1, 6 do
  out[#out + 1] = a(1) + b(0)
  if i % 2 == 0 then out[#out + 1] = c(i) end
end
print(table.concat(out, ","))

-- Recursion: a recursive local function (its own upvalue, open) alternating with a closure
-- over a closed counter.
local calls = make_acc()
local function fib(k)
  calls(1)
  if k < 2 then return k end
  return fib(k - 1) + fib(k - 2)
end
print(fib(12), select(2, calls(0)))

-- Coroutines: a generator's closures and the caller's, alternating across switches, with the
-- generator's locals open on its own stack.
local gen = coroutine.wrap(function()
  local x = 0
  local inc = function() x = x + 1; return x end
  local get = function() return x end
  while true do
    inc()
    coroutine.yield(get() + inc())
  end
end)
local y = 0
local bumpy = function() y = y + 1000; return y end
local res = {}
for i = 1, 4 do res[#res + 1] = gen() + bumpy() end
print(table.concat(res, " "))
