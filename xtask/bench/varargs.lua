-- Varargs: select('#', ...), select(n, ...), {...}, unpack, forwarding f(...).
local unpack = unpack or table.unpack

local function count(...) return select('#', ...) end
local function sum(...)
  local s = 0
  for i = 1, select('#', ...) do s = s + (select(i, ...)) end
  return s
end
local function pack_sum(...)
  local t = {...}
  local s = 0
  for i = 1, #t do s = s + t[i] end
  return s
end
local function forward(f, ...) return f(...) end
local function middle(a, ...) return ... end
local function tail(...) return count(...), ... end

local total = 0
local args = {1, 2, 3, 4, 5, 6, 7, 8}
for i = 1, 300000 do
  total = total + count(i, nil, i)
  total = total + sum(i, 2, 3, 4)
  total = total + pack_sum(unpack(args))
  total = total + forward(sum, i, i, i)
  total = total + forward(pack_sum, middle(i, 5, 6, 7))
  local n, a, b = tail(i, i + 1)
  total = total + n + a + b
end
print(string.format("%d", total))
