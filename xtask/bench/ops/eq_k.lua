local n = tonumber(arg[1])
local kind = "number"
for i = 1, n do if kind == "string" then kind = 3 end end
