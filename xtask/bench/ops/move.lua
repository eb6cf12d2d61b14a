local n = tonumber(arg[1])
local a, b = 1, 2
for i = 1, n do a = b end
