-- table.remove: last, positional, empty, out of range
local function dump(t) local r = {} for i = 1, #t do r[i] = tostring(t[i]) end return table.concat(r, ",") end
local t = {"a", "b", "c", "d", "e"}
print(table.remove(t), dump(t))
print(table.remove(t, 1), dump(t))
print(table.remove(t, 2), dump(t))
print(table.remove(t, #t), dump(t))
print(table.remove(t), dump(t))
print(table.remove(t), dump(t), #t)
print(select("#", table.remove({})))
print(select("#", table.remove({}, 1)))
print(table.remove({1, 2, 3}, 5))
print(table.remove({1, 2, 3}, 0))
print(table.remove({1, 2, 3}, -1))
print(table.remove({[0] = "z"}, 0))
local u = {1, 2, 3}
print(table.remove(u, 4), #u)
print(table.remove(u, "1"), dump(u))
print(table.remove(u, 1.9), dump(u))
local h = {1, 2, nil, 4}
print(#h, table.remove(h), #h)
local w = {n = 2, "a", "b"}
print(table.remove(w), w.n)
print(pcall(table.remove))
print(pcall(table.remove, nil))
print(pcall(table.remove, "x"))
print(pcall(table.remove, {}, "x"))
print(pcall(table.remove, {1}, {}))
print(pcall(function() return table.remove(1) end))
local q = {}
for i = 1, 10 do q[i] = i end
local sum = 0
while #q > 0 do sum = sum + table.remove(q, 1) end
print(sum, #q)
table.remove(false)
