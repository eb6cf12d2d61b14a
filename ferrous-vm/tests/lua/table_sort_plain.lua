-- table.sort without a comparator: numbers, strings (embedded zeros, prefixes), duplicates,
-- and the cases that must sort the table in place (NaN, mixed types, holes, __lt).
local function show(t) local out = {} for i = 1, #t do out[i] = tostring(t[i]) end return table.concat(out, " ") end
local seed = 7
local function rand(n) seed = (seed * 1103515245 + 12345) % 2147483648 return seed % n end
for _, n in ipairs({0, 1, 2, 3, 4, 5, 17, 100}) do
  local t = {}
  for i = 1, n do t[i] = rand(10) - 3.5 * (i % 2) end
  table.sort(t)
  print(n, show(t))
end
local s = {"b", "a\0b", "a", "a\0", "", "ab", "\255", "A", "a\0a", "b", "a"}
table.sort(s)
local out = {} for i = 1, #s do out[i] = string.format("%q", s[i]) end
print(table.concat(out, " "))
print(show((function() local t = {3, -0.0, 0, -1/0, 1/0, 2^53, -2^53, 1e-300} table.sort(t) return t end)()))
-- NaN: inconsistent order; same steps, same result or error as 5.1.
for _, t in ipairs({{3, 0/0, 1, 2}, {0/0, 5, 4, 3, 2, 1}, {1, 2, 0/0, 0/0, 3, 4, 5, 6, 7}}) do
  local ok, err = pcall(table.sort, t)
  print(ok, err, show(t))
end
-- Mixed types fail like 5.1 and leave the table as 5.1 does.
for _, t in ipairs({{1, "x", 2}, {"a", "b", 3, "c", "d"}, {1, 2, 3, 4, {}}}) do
  local ok, err = pcall(table.sort, t)
  print(ok, err)
end
-- Holes: #t decides the range.
local h = {5, 4, 3, 2, 1}
h[3] = nil
print(pcall(table.sort, h))
-- __lt on tables runs Lua code that can look at the table mid-sort.
local mt = {__lt = function(a, b) return a.v < b.v end}
local objs = {}
for i = 1, 10 do objs[i] = setmetatable({v = rand(100)}, mt) end
table.sort(objs)
local vs = {} for i = 1, 10 do vs[i] = objs[i].v end
print(table.concat(vs, " "))
-- A comparator.
local c = {5, 1, 4, 2, 3}
table.sort(c, function(a, b) return a > b end)
print(show(c))
print(pcall(table.sort, {3, 1, 2}, function(a, b) return true end))
