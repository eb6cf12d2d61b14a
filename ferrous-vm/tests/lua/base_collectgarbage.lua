print(collectgarbage())
print(collectgarbage("collect"))
print(type(collectgarbage("count")))
print(collectgarbage("count") > 0)
print(collectgarbage("stop"))
print(collectgarbage("restart"))
print(type(collectgarbage("step")))
print(pcall(collectgarbage, "bogus"))
print(pcall(collectgarbage, 1))
print(type(gcinfo()))
local t = {}
for i = 1, 1000 do t[i] = {i} end
t = nil
collectgarbage()
local weak = setmetatable({}, {__mode = "k"})
weak[{}] = 1
collectgarbage()
print(next(weak))
local wv = setmetatable({}, {__mode = "v"})
wv[1] = {}
wv[2] = "str"
collectgarbage()
print(wv[1], wv[2])
print(collectgarbage("setpause", 200) >= 0, collectgarbage("setstepmul", 200) >= 0)
