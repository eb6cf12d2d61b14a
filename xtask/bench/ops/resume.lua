local n = tonumber(arg[1])
local yield = coroutine.yield
local gen = coroutine.wrap(function() while true do yield() end end)
for i = 1, n do gen() end
