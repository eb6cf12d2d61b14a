-- the exact sequence of comparator calls (5.1's auxsort sorts the smaller part first)
local log = {}
local t = {}
for i = 1, 40 do t[i] = (i * 17) % 41 end
table.sort(t, function(a, b) log[#log + 1] = a .. "<" .. b; return a < b end)
print(#log)
for i = 1, #log, 20 do print(table.concat(log, " ", i, math.min(i + 19, #log))) end
local n = 0
local ok, err = pcall(table.sort, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19},
  function(a, b) n = n + 1; if n == 30 then error("stop at " .. a .. "," .. b, 0) end; return a < b end)
print(ok, err)
local u = {}
for i = 1, 60 do u[i] = (i * 7) % 61 end
local m = 0
pcall(table.sort, u, function(a, b) m = m + 1; if m > 150 then error("x") end; return a < b end)
print(table.concat(u, " "))
