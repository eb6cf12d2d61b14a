local n = tonumber(arg[1])
x = 1; local a
for i = 1, n do a = x end
