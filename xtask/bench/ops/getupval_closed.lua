local n = tonumber(arg[1])
local function mk() local u = 1; return function() local x; for i = 1, n do x = u end end end
mk()()
