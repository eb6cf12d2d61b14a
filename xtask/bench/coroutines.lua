-- Coroutines: a generator resumed many times.
local gen = coroutine.wrap(function()
  local i = 0
  while true do i = i + 1; coroutine.yield(i) end
end)
local s = 0
for _ = 1, 2000000 do s = s + gen() end
print(s)
