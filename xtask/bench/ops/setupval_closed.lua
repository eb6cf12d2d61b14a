local n = tonumber(arg[1])
local function mk() local u = 1; return function() for i = 1, n do u = i end end end
mk()()
