-- table.sort: invalid input, invalid comparators, errors in comparators
print(pcall(table.sort))
print(pcall(table.sort, nil))
print(pcall(table.sort, "abc"))
print(pcall(table.sort, {3, 2, 1}, 1))
print(pcall(table.sort, {3, 2, 1}, "x"))
print(pcall(table.sort, {3, 2, 1}, {}))
print(pcall(table.sort, {1}, 1))
print(pcall(table.sort, {}, "x"))
print(pcall(table.sort, {3, "a", 1}))
print(pcall(table.sort, {3, {}, 1}))
print(pcall(table.sort, {{}, {}}))
print(pcall(table.sort, {true, false}))
print(pcall(table.sort, {"a", 1}))
print(pcall(table.sort, {1, nil, 3}))
print(pcall(table.sort, {3, 2, 1}, function(a, b) error("cmp failed") end))
print(pcall(table.sort, {3, 2, 1}, function(a, b) error({}) end) == false)
print(pcall(table.sort, {3, 2, 1}, function(a, b) return a.x < b end))
local t = {}
for i = 1, 100 do t[i] = i % 7 end
print(pcall(table.sort, t, function(a, b) return true end))
local u = {}
for i = 1, 100 do u[i] = 100 - i end
print(pcall(table.sort, u, function(a, b) return a <= b end))
local v = {5, 5, 5, 5, 5, 5}
print(pcall(table.sort, v, function(a, b) return true end))
local calls = 0
local w = {}
for i = 1, 30 do w[i] = i end
print(pcall(table.sort, w, function(a, b) calls = calls + 1; return calls % 3 == 0 end))
local mt = {__lt = function(a, b) return a.v < b.v end}
local objs = {}
for i = 1, 10 do objs[i] = setmetatable({v = (i * 3) % 10}, mt) end
table.sort(objs)
local out = {}
for i = 1, 10 do out[i] = objs[i].v end
print(table.concat(out, " "))
local mt2 = {__lt = function(a, b) return a.v < b.v end}
print(pcall(table.sort, {setmetatable({v = 1}, mt), setmetatable({v = 2}, mt2)}))
print(pcall(table.sort, {setmetatable({v = 1}, mt), 5}))
print(pcall(function() table.sort({3, 1, "x", 2}) end))
table.sort({1, "x"})
