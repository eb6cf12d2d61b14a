local n = tonumber(arg[1])
local t = {1, 2, 3}
for i = 1, n do t[2] = i end
