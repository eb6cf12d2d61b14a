local n = tonumber(arg[1])
local C = {}; C.__index = C; function C:m() end; local o = setmetatable({}, C)
for i = 1, n do o:m() end
