local n = tonumber(arg[1])
local function g() return 1 end; local a
for i = 1, n do a = g() end
