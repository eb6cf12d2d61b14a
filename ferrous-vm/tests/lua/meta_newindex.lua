local log = {}
local t = setmetatable({}, {__newindex = function(t, k, v) log[#log + 1] = k; rawset(t, k, v * 2) end})
t.a = 1
t.a = 5
t.b = 2
print(t.a, t.b, #log, log[1], log[2])
local store = {}
local proxy = setmetatable({}, {__newindex = store, __index = store})
proxy.x = 10
print(rawget(proxy, "x"), store.x, proxy.x)
local ro = setmetatable({}, {__newindex = function(t, k) error("read-only field " .. k, 2) end})
print(pcall(function() ro.field = 1 end))
local chain = {}
local c = chain
for i = 1, 120 do local n = {} setmetatable(c, {__newindex = n}) c = n end
print(pcall(function() chain.x = 1 end))
local loop = {}
setmetatable(loop, {__newindex = loop})
print(pcall(function() loop.y = 2 end))
local existing = setmetatable({present = 1}, {__newindex = function() error("not called") end})
existing.present = 2
print(existing.present)
local tbl = setmetatable({}, {__newindex = 3})
print(pcall(function() tbl.z = 1 end))
local gl = setmetatable({}, {__newindex = function(t, k, v) rawset(t, k, "wrapped " .. tostring(v)) end})
gl[1] = "one"
gl[2.5] = true
print(gl[1], gl[2.5])
local count = 0
local counter = setmetatable({}, {__newindex = function(t, k, v) count = count + 1 end})
for i = 1, 10 do counter[i] = i end
print(count, #counter)
print(pcall(function() local x = nil; x.y = 1 end))
print(pcall(function() local s = "str"; s.y = 1 end))
