-- __gc finalizers of userdata: order, resurrection, weak tables, errors, io handles
local log = {}
local function proxy(name)
  local u = newproxy(true)
  getmetatable(u).__gc = function(o) log[#log + 1] = name end
  return u
end
local a, b, c = proxy("a"), proxy("b"), proxy("c")
a, b, c = nil, nil, nil
collectgarbage()
print(table.concat(log, " "))  -- newest first
-- a finalized userdata lives for one more cycle and can be resurrected
local saved
do
  local u = newproxy(true)
  getmetatable(u).__gc = function(o) saved = o end
end
collectgarbage()
print(type(saved))
local kept = saved
saved = nil
collectgarbage()  -- not finalized twice
print(saved)
-- weak values drop finalized userdata at once, weak keys after the second cycle
local wk = setmetatable({}, {__mode = "k"})
local wv = setmetatable({}, {__mode = "v"})
do
  local u = newproxy(true)
  getmetatable(u).__gc = function(o) print("gc", wk[o], wv[1]) end
  wk[u] = "key"
  wv[1] = u
end
collectgarbage()
print(next(wk) ~= nil, wv[1])
collectgarbage()
print(next(wk))
-- an error in a finalizer propagates to the collection that ran it
do
  local u = newproxy(true)
  getmetatable(u).__gc = function() error("in gc") end
end
print(pcall(collectgarbage))
collectgarbage()
print("heap still fine", #log)
-- a userdata without __gc, or whose __gc was removed, is simply freed
do
  local u = newproxy(true)
  local mt = getmetatable(u)
  mt.__gc = function() print("never") end
  mt.__gc = nil
end
collectgarbage()
-- io handles close when collected
do
  local f = io.tmpfile()
  f:write("x")
end
collectgarbage()
print("done")
-- one left for the end of the program
_G.last = proxy("at exit")
getmetatable(_G.last).__gc = function() print("closing") end
