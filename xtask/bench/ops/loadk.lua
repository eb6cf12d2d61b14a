local n = tonumber(arg[1])
local a
for i = 1, n do a = 7.5 end
