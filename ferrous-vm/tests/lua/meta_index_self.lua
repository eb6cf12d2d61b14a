-- A class whose `__index` is itself (`C.__index = C`): method lookups remember that, and every
-- change to the class must be seen by the next lookup.
local C = {}
C.__index = C
function C.hello() return "C.hello" end
local o = setmetatable({}, C)
print(o.hello(), o.missing)

-- A method added after the first lookup.
function C.later() return "C.later" end
print(o.later())

-- `__index` replaced by another table, by a function, removed, then restored.
local other = { hello = function() return "other.hello" end }
C.__index = other
print(o.hello(), o.later)
C.__index = function(t, k) return "fn:" .. tostring(k) end
print(o.hello, o.anything)
C.__index = nil
print(o.hello)
C.__index = C
print(o.hello())
rawset(C, "__index", other)
print(o.hello())
rawset(C, "__index", C)
print(o.hello(), o.later())

-- Through a chain: each class is its own `__index`; a middle class changes.
local A = {}
A.__index = A
function A.who() return "A" end
local B = setmetatable({}, A)
B.__index = B
local D = setmetatable({}, B)
D.__index = D
local d = setmetatable({}, D)
for _ = 1, 3 do print(d.who()) end
function B.who() return "B" end
print(d.who())
B.who = nil
print(d.who())
B.__index = { who = function() return "B2" end }
print(d.who())
B.__index = B
print(d.who())
setmetatable(B, nil)
print(d.who)
setmetatable(B, A)
print(d.who())

-- Integer keys written into the class (array part) and a table cleared by `next` loops.
C[1] = "one"
print(o[1], o.hello())
for k in pairs(C) do C[k] = nil end
print(o.hello, o[1])
C.__index = C
C.hello = function() return "again" end
print(o.hello())

-- A weak class table: its `__index` entry refers to itself and stays.
local W = setmetatable({}, { __mode = "v" })
W.__index = W
local keep = function() return "W.f" end
W.f = keep
W.g = function() return "W.g" end
local w = setmetatable({}, W)
print(w.f(), w.g())
collectgarbage()
print(w.f(), w.g, rawget(W, "__index") == W)

-- Many objects, lookups in a loop, a change in the middle.
local P = {}
P.__index = P
function P.v() return 1 end
local sum = 0
local objs = {}
for i = 1, 10 do objs[i] = setmetatable({}, P) end
for round = 1, 4 do
  for i = 1, #objs do sum = sum + objs[i].v() end
  if round == 2 then function P.v() return 100 end end
end
print(sum)
