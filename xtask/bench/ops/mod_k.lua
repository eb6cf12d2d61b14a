local n = tonumber(arg[1])
local a, c = 7, 0
for i = 1, n do c = a % 3 end
