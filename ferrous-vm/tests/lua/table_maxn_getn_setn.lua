-- table.maxn, table.getn, table.setn
print(table.maxn({}), table.maxn({1, 2, 3}), table.maxn({[10] = 1, [2] = 2}))
print(table.maxn({[1.5] = 1}), table.maxn({[-5] = 1}), table.maxn({x = 1, [3] = 1}))
print(table.maxn({[1e100] = 1}), table.maxn({[2^53] = 1, [1] = 2}))
print(table.maxn({[1/0] = 1}))
print(table.maxn({n = 100}), table.maxn({[0] = 1}))
local t = {1, 2, 3}
t[5] = 5
print(table.maxn(t))
t[5] = nil
print(table.maxn(t))
print(table.getn({}), table.getn({1, 2, 3}), table.getn({n = 5}), table.getn({1, 2, n = 10}))
print(table.getn({1, nil, 3}) >= 1, table.getn({nil, nil}))
print(pcall(table.maxn))
print(pcall(table.maxn, "x"))
print(pcall(table.getn))
print(pcall(table.getn, 5))
print(pcall(table.setn, {}, 5))
print(pcall(table.setn, {}))
print(pcall(table.setn))
print(pcall(table.setn, "x", 1))
print(pcall(function() table.setn({}, 1) end))
print(pcall(function() return table.getn(nil) end))
local g = {}
for i = 1, 100 do g[i] = i end
print(table.getn(g), #g, table.maxn(g))
for i = 51, 100 do g[i] = nil end
print(table.getn(g), #g, table.maxn(g))
table.setn({}, 1)
