local n = tonumber(arg[1])
for i = 1, n do  end
