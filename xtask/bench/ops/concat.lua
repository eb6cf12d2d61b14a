local n = tonumber(arg[1])
local s, t = 'ab', 'cd'; local a
for i = 1, n do a = s .. t end
