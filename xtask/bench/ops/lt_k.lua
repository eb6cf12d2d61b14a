local n = tonumber(arg[1])
local a = 1
for i = 1, n do if a < 0 then a = 3 end end
