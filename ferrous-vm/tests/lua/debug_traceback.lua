-- debug.traceback with a thread, levels and non-string messages
print(debug.traceback("msg"))
print(debug.traceback("msg", 2))
print(debug.traceback(print) == print)
print(debug.traceback(12))
print(debug.traceback(nil))
local function f(n) if n > 0 then return f(n - 1) else coroutine.yield() end end
local co = coroutine.create(f)
coroutine.resume(co, 2)
print(debug.traceback(co))
print(debug.traceback(co, "hi"))
print(debug.traceback(co, "hi", 1))
local function g(i) if i == 0 then error("boom") else g(i - 1) end end
local co2 = coroutine.create(function() g(2) end)
print(coroutine.resume(co2))
print(debug.traceback(co2))
print(coroutine.status(co2))
