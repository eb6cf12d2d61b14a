-- Values left in the stack slots of returned frames, finished loops and closed blocks are
-- garbage: a full collection frees them (as 5.1's traversestack, which marks below L->top).
local weak = setmetatable({}, {__mode = "k"})
local function f() local x = {} weak[x] = true end
f()
collectgarbage()
print("after call", next(weak))
local function g() local a, b, c = {}, {}, {} weak[c] = 1 return 1 end
local y = g()
collectgarbage()
print("after g", next(weak))
for i = 1, 3 do local t = {} weak[t] = i end
collectgarbage()
print("after loop", next(weak))
do local z = {} weak[z] = 'z' end
collectgarbage()
print("after block", next(weak))
local co = coroutine.wrap(function() local q = {} weak[q] = 'q' coroutine.yield() end)
co()
collectgarbage()
print("suspended coroutine keeps its locals", next(weak) ~= nil)
-- Values a running frame still holds survive, also across calls that return many results.
local keep = {}
weak[keep] = 'keep'
local function many() return unpack({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}) end
local function count(...) collectgarbage() return select('#', ...) end
print(count(many()), weak[keep])
local mt = {__index = function(t, k) collectgarbage() return k end}
local obj = setmetatable({}, mt)
local held = {}
weak[held] = 'held'
print(obj.x, weak[held])
