local n = tonumber(arg[1])
local u = 1
local function f() local x; for i = 1, n do x = u end end
f()
