-- A coroutine resumed again from a deeper C-call level (inside pcall, a metamethod, a
-- sort comparator): yielding across a pcall inside it is still an error, and it may
-- still yield where it was resumed.
local co = coroutine.wrap(function()
  coroutine.yield(1)
  print("in co", pcall(coroutine.yield, 2))
  coroutine.yield(3)
  print("in co", pcall(coroutine.yield, 4))
  return "end"
end)
print(co())
print(pcall(co))
print(pcall(pcall, co))
print(pcall(co))
print(pcall(co))
local c2 = coroutine.create(function(a)
  for i = 1, 3 do
    local ok, err = pcall(coroutine.yield, i)
    print("c2", i, ok, err)
    a = coroutine.yield(a)
  end
  return "done"
end)
print(coroutine.resume(c2, "x"))
print(pcall(coroutine.resume, c2, "y"))
local mt = {__index = function(_, k) return select(2, coroutine.resume(c2, k)) end}
local t = setmetatable({}, mt)
print(t.z, t.w)
print(coroutine.resume(c2))
print(coroutine.resume(c2))
print(coroutine.status(c2))
-- Resumed alternately from the main level and from inside nested pcalls.
local gen = coroutine.wrap(function()
  local n = 0
  while true do n = n + 1; coroutine.yield(n) end
end)
local s = 0
for i = 1, 10 do
  if i % 2 == 0 then s = s + gen() else s = s + select(3, pcall(pcall, gen)) end
end
print(s)
