local n = tonumber(arg[1])
local t = {1, 2, 3}; local a
for i = 1, n do a = #t end
