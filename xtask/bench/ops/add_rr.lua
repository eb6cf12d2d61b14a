local n = tonumber(arg[1])
local a, b, c = 1, 2, 0
for i = 1, n do c = a + b end
