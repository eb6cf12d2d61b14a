local n = tonumber(arg[1])
local a
for i = 1, n do a = function() end end
