local co = coroutine.wrap(function() local t = nil; coroutine.yield(1); return t.x end)
print(co())
co()
