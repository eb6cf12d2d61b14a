-- Closed upvalues live in reused heap cells, and the interpreter remembers the cell of each
-- upvalue of the closure that last used one. Closures die and new ones take their cells
-- across collections; each must still see its own variable, and a dead closure's variable
-- must not show through a new one.

local function counter(start)
  local n = start
  return function(d) n = n + (d or 1); return n end
end

local live = {}
for i = 1, 50 do live[i] = counter(i * 100) end

local out = {}
for round = 1, 4 do
  -- Drop every third counter, collect, and make new ones over the freed cells.
  for i = round, 50, 3 do live[i] = nil end
  collectgarbage()
  for i = 1, 50 do
    if live[i] == nil then live[i] = counter(-i * round) end
  end
  local sum = 0
  for i = 1, 50 do sum = sum + live[i]() + live[i](2) end
  out[#out + 1] = sum
end
print(table.concat(out, " "))

-- One closure used, then collected while another takes its place in the same loop.
local last
for i = 1, 200 do
  local f = counter(i)
  f(); f(); last = f(i)
  if i % 50 == 0 then collectgarbage() end
end
print(last)

-- An upvalue read open, closed by the return, then read closed through the remembered place.
local function make()
  local v = 1
  local function get() return v end
  local first = get()
  v = 2
  return get, first
end
local get, first = make()
collectgarbage()
print(first, get(), get())

-- Closed upvalues holding tables: the cell keeps the table alive, and only while it lives.
local weak = setmetatable({}, { __mode = "k" })
local function holder()
  local t = {}
  weak[t] = true
  return function() return t end
end
local h = holder()
collectgarbage()
local n = 0
for _ in pairs(weak) do n = n + 1 end
print("held", n, type(h()))
h = nil
collectgarbage()
n = 0
for _ in pairs(weak) do n = n + 1 end
print("after", n)
