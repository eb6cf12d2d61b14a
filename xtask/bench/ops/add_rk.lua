local n = tonumber(arg[1])
local a, c = 1, 0
for i = 1, n do c = a + 1 end
