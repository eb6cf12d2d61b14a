local n = tonumber(arg[1])
local t = {k = 1}
for i = 1, n do t.k = i end
