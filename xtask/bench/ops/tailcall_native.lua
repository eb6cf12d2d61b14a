local n = tonumber(arg[1])
local type = type
local function f(x) return type(x) end
for i = 1, n do f(i) end
