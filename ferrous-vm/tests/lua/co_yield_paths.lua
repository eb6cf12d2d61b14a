local function gen(n) return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end) end
for v in gen(3) do print("for", v) end
local co = coroutine.create(function(...)
  local args = {...}
  while true do
    local x = coroutine.yield(#args)
    if x == nil then break end
    args[#args + 1] = x
  end
  return "total", #args
end)
print(coroutine.resume(co, "a", "b"))
print(coroutine.resume(co, "c"))
print(coroutine.resume(co, "d"))
print(coroutine.resume(co))
print(coroutine.status(co))
local inner = coroutine.wrap(function() coroutine.yield("i1") coroutine.yield("i2") end)
local outer = coroutine.wrap(function() coroutine.yield(inner()) coroutine.yield(inner()) coroutine.yield("o3") end)
print(outer(), outer(), outer())
local t = {}
local filler = coroutine.wrap(function() for i = 1, 3 do t[i] = coroutine.yield() end return "filled" end)
filler()
filler(10) filler(20)
print(filler(30), t[1], t[2], t[3])
local up = 0
local c2 = coroutine.wrap(function() while true do up = up + 1 coroutine.yield(up) end end)
c2() c2()
print(up, c2())
local in_pcall = coroutine.create(function() local ok, v = pcall(function() return "inside pcall" end) coroutine.yield(ok, v) return "end" end)
print(coroutine.resume(in_pcall))
print(coroutine.resume(in_pcall))
local yielder = coroutine.create(function() return select('#', coroutine.yield()) end)
coroutine.resume(yielder)
print(coroutine.resume(yielder, nil, nil, nil))
local tail_yield = coroutine.create(function() return coroutine.yield("tail") end)
print(coroutine.resume(tail_yield))
print(coroutine.resume(tail_yield, "back"))
print(coroutine.resume(coroutine.create(function() return coroutine.running() ~= nil end)))
local ok, main = pcall(coroutine.running)
print(ok, main)
