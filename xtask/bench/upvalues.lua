-- Closures: upvalue reads and writes in tight loops (counters, accumulators, shared state).
local function make_acc()
  local sum, count, maxv = 0, 0, 0
  local function add(v)
    sum = sum + v
    count = count + 1
    if v > maxv then maxv = v end
  end
  local function get() return sum, count, maxv end
  return add, get
end

local total = 0
local step = 3
for round = 1, 20 do
  local add, get = make_acc()
  local n = 0
  local function bump() n = n + step; return n end
  for i = 1, 100000 do
    add(i % 1000)
    add(bump() % 17)
  end
  local s, c, m = get()
  total = total + s + c + m + n
end

-- Nested closures: an inner function writing an upvalue two levels out.
local function outer()
  local x = 0
  return function(k)
    local function inner() x = x + k end
    for _ = 1, 10 do inner() end
    return x
  end
end
local f = outer()
for i = 1, 100000 do total = total + f(i % 3) % 1000 end
print(string.format("%d", total))
