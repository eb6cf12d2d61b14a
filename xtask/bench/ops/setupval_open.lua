local n = tonumber(arg[1])
local u = 1
local function f() for i = 1, n do u = i end end
f()
