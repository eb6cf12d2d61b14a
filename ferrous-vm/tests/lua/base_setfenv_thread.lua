-- Each thread has its own global table (5.1's gt(L)): setfenv(0, t) in a coroutine changes
-- only that coroutine's, which chunks it loads and coroutines it creates inherit.
local G = _G
local t = setmetatable({}, {__index = G})
local co = coroutine.create(function()
  setfenv(0, t)
  G.print("co", G.getfenv(0) == t, G.getfenv(0) == G)
  G.coroutine.yield()
  G.print("co after yield", G.getfenv(0) == t)
  local f = G.loadstring("x_from_co = 1")
  f()
  G.print("loaded chunk", G.getfenv(f) == t, G.rawget(t, "x_from_co"), G.rawget(G, "x_from_co"))
  -- A coroutine created here shares this coroutine's global table.
  local inner = G.coroutine.wrap(function() return G.getfenv(0) == t end)
  G.print("inner", inner())
  -- A function's own environment is not the thread's.
  G.print("function env", G.getfenv(1) == G)
end)
coroutine.resume(co)
print("main", getfenv(0) == _G, getfenv(0) == t)
coroutine.resume(co)
print("main", getfenv(0) == _G, x_from_co)
print(getfenv(loadstring("return 1")) == _G)
-- The main thread's setfenv(0) does not reach a coroutine created before it.
local u = setmetatable({}, {__index = G})
local before = coroutine.wrap(function() coroutine.yield(getfenv(0) == G) return getfenv(0) == u end)
setfenv(0, u)
print("before", before(), before())
print("after", coroutine.wrap(function() return getfenv(0) == u end)())
setfenv(0, G)
print(getfenv(0) == G, getfenv(loadstring("return 1")) == G)
print(pcall(setfenv, 0, 1))
print(select('#', setfenv(0, _G)))
