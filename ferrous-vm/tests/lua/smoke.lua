print("hello", 1, 2.5, nil, true)
local t = {}
for i = 1, 10 do t[i] = i * i end
print(#t, t[3])
local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end
print(fib(20))
local s = 0
for k, v in pairs(t) do s = s + v end
print(s)
for i, v in ipairs({"a","b","c"}) do io = i end
print(select('#', 1, 2, 3), select(2, "a", "b", "c"))
print(pcall(error, "boom"))
print(pcall(function() local x = nil; return x.y end))
local mt = {__index = function(t, k) return k .. "!" end, __add = function(a, b) return 42 end}
local obj = setmetatable({}, mt)
print(obj.foo, obj + 1)
local co = coroutine.create(function(a, b) local c = coroutine.yield(a + b); print("got", c); return "done" end)
print(coroutine.resume(co, 1, 2))
print(coroutine.resume(co, "x"))
print(coroutine.resume(co))
print(type(print), tostring(nil))
local f = loadstring("return 1 + ...")
print(f(41))
print(xpcall(function() error("a") end, function(m) return "h:" .. m end))
print(unpack({1, 2, 3}))

