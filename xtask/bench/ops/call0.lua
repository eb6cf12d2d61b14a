local n = tonumber(arg[1])
local function g() end
for i = 1, n do g() end
