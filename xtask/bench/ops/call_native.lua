local n = tonumber(arg[1])
local type = type; local a
for i = 1, n do a = type(i) end
