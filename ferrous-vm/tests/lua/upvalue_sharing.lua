-- Upvalues shared between closures, written through every path, read back right away:
-- whatever the VM caches about the running closure's upvalues must see each write.

-- Two closures over one variable, alternating, each reading what the other wrote.
local function pair()
  local n = 0
  return function(k) n = n + k; return n end, function() n = n * 2; return n end
end
local add, dbl = pair()
local out = {}
for i = 1, 6 do out[#out + 1] = add(i); out[#out + 1] = dbl() end
print(table.concat(out, " "))

-- The same closure reading its upvalue before and after another one wrote it, within one call.
local function shared()
  local x = 1
  local function set(v) x = v end
  local function get_set_get(v) local a = x; set(v); return a, x end
  return get_set_get
end
local gsg = shared()
print(gsg(5))
print(gsg(7))

-- debug.setupvalue from inside the closure that owns the upvalue, and from outside.
local function owner()
  local v = "old"
  local function f(set)
    local before = v
    if set then debug.setupvalue(f, 1, set) end
    return before, v
  end
  return f
end
local f = owner()
print(f("inside"))
print(f())
print(debug.setupvalue(f, 1, "outside"), f())

-- An open upvalue written by its own function's registers, then closed, then shared on.
local function opened()
  local c = 0
  local function bump() c = c + 1; return c end
  bump(); c = c + 10; bump()
  local r = c
  return bump, r
end
local bump, r = opened()
print(r, bump(), bump())

-- A loop creates a fresh upvalue per iteration; closures made in one iteration share it.
local getters, setters = {}, {}
for i = 1, 3 do
  local v = i * 10
  getters[i] = function() return v end
  setters[i] = function(x) v = x end
end
setters[2](99)
print(getters[1](), getters[2](), getters[3]())

-- A coroutine and its creator share an upvalue; each sees the other's writes.
local count = 0
local co = coroutine.wrap(function()
  for _ = 1, 3 do count = count + 1; coroutine.yield(count) end
end)
print(co(), count)
count = count + 100
print(co(), count)
print(co(), count)

-- The same closure running in two coroutines over one upvalue.
local function make_step()
  local total = 0
  return function(k) total = total + k; coroutine.yield(total); return total end
end
local step = make_step()
local c1 = coroutine.wrap(function() return step(1) end)
local c2 = coroutine.wrap(function() return step(10) end)
print(c1(), c2(), c1(), c2())

-- Recursion through an upvalue that changes during the recursion.
local fact
fact = function(n) if n <= 1 then return 1 end return n * fact(n - 1) end
local orig = fact
local calls = 0
fact = function(n) calls = calls + 1; return orig(n) end
print(orig(5), calls)

-- Upvalues past the fourth (the loop keeps only the first few).
local a1, a2, a3, a4, a5, a6 = 1, 2, 3, 4, 5, 6
local function many() a6 = a6 + a1 + a5; a5 = a5 * 2; return a1 + a2 + a3 + a4 + a5 + a6 end
print(many(), many(), a5, a6)

-- An error after a write leaves the written value.
local e = 0
local function boom() e = e + 1; error("boom") end
print(pcall(boom), e, pcall(boom), e)
