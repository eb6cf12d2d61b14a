-- comparators that raise, yield, use upvalues, or are not functions; __lt and __index interplay
local function show(t) local r = {} for i = 1, #t do r[i] = tostring(t[i]) end return table.concat(r, " ") end
local t = {5, 2, 8, 1}
table.sort(t, nil)
print(show(t))
local ok, err = pcall(table.sort, {3, 1, 2}, function(a, b) return a.field end)
print(ok, err)
ok, err = pcall(table.sort, {3, 1, 2}, function(a, b) error("custom", 2) end)
print(ok, err)
ok, err = pcall(table.sort, {3, 1, 2}, function(a, b) error(setmetatable({}, {__tostring = function() return "obj" end})) end)
print(ok, tostring(err))
local co = coroutine.create(function()
  table.sort({3, 1, 2}, function(a, b) coroutine.yield() return a < b end)
end)
print(coroutine.resume(co))
local order = {}
local u = {"b", "a", "c"}
table.sort(u, function(a, b) order[#order + 1] = a .. b; return a < b end)
print(show(u), table.concat(order, ","))
local proxy = setmetatable({}, {__index = function(_, i) return ({3, 1, 2})[i] end, __len = function() return 3 end})
print(pcall(table.sort, proxy))
print(rawget(proxy, 1))
local lt_calls = 0
local V = {}
V.__lt = function(a, b) lt_calls = lt_calls + 1; return a[1] < b[1] end
local objs = {}
for i = 1, 20 do objs[i] = setmetatable({(i * 13) % 20}, V) end
table.sort(objs)
local r = {}
for i = 1, 20 do r[i] = objs[i][1] end
print(table.concat(r, " "), lt_calls)
print(pcall(table.sort, {setmetatable({}, {}), setmetatable({}, {})}))
print(pcall(table.sort, {1, 2, 3}, function(a, b) return nil end))
print(pcall(table.sort, {1, 2, 3}, function(a, b) return 0 end))
local desc = {}
for i = 1, 10 do desc[i] = i end
table.sort(desc, function(a, b) return a > b end)
print(show(desc))
print(pcall(table.sort, {1, 2}, print))
print(pcall(table.sort, {1, 2}, coroutine.wrap(function(a, b) while true do a, b = coroutine.yield(a < b) end end)))
