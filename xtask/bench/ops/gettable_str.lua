local n = tonumber(arg[1])
local t = {k = 1}; local a
for i = 1, n do a = t.k end
