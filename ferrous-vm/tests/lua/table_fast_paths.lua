-- Edges of the GETTABLE/SETTABLE fast paths: number keys around the array part, float keys,
-- metatables added, changed and removed between accesses.
local t = {10, 20, 30}
local keys = {0, -0.0, 1, 3, 4, -1, 1.5, 2^31, 2^32 + 1, 2^53, 2^63, -2^63, 1e300, -1e300,
  1/0, -1/0, "1", true}
for _, k in ipairs(keys) do
  print(tostring(k), t[k])
end
print("nan", t[0/0])
t[0] = "zero"
print(t[0], t[-0.0])
t[-0.0] = "negzero"
print(t[0], t[-0.0])
t[4] = 40         -- just beyond the array part
t[3.0] = 33
t[2^32 + 1] = "big"
t[2^63] = "huge"
t[1.5] = "frac"
print(t[4], t[3], t[2^32 + 1], t[2^63], t[1.5], #t)
for _, bad in ipairs({"nil", "nan"}) do
  print(pcall(function()
    if bad == "nil" then t[nil] = 1 else t[0/0] = 1 end
  end))
end
-- A loop index as key, written just before the access.
local a = {}
for i = 1, 20 do a[i] = i * 2 end
local s = 0
for i = -2, 22 do s = s + (a[i] or 0) end
print(s, #a)
for i = 1, 20, 0.5 do a[i] = i end
print(#a, a[1.5], a[20])

-- __index and __newindex present from the start, added later, changed, removed.
local log = {}
local obj = {x = 1, [1] = "one"}
print(obj.y, obj[2])
local mt = {}
setmetatable(obj, mt)
print(obj.y, obj[2])
obj.z = 3
obj[2] = "two"
print(obj.z, obj[2])
mt.__index = {y = "from class", [5] = "five"}
print(obj.y, obj[5], obj.x, obj.w)
mt.__newindex = function(t, k, v) log[#log + 1] = tostring(k) .. "=" .. tostring(v) end
obj.w = "w"       -- absent: goes to __newindex
obj.x = "x2"      -- present: raw set
obj[3] = "three"  -- absent array key
obj[1] = "uno"    -- present array key
print(obj.w, obj.x, obj[3], obj[1], table.concat(log, " "))
print(pcall(function() obj[nil] = 1 end))
print(pcall(function() obj[0/0] = 1 end))
mt.__index = function(t, k) return "fn:" .. tostring(k) end
print(obj.y, obj[7], obj.x)
mt.__newindex = nil
obj.w = "raw"
print(rawget(obj, "w"), table.concat(log, " "))
setmetatable(obj, nil)
print(obj.y, obj[7])
local mt2 = {__newindex = {}}
setmetatable(obj, mt2)
obj.v = "to proxy"
print(rawget(obj, "v"), mt2.__newindex.v)
-- The metatable itself written through the fast path after its miss was cached.
local proxy = setmetatable({}, mt2)
local mt3 = {}
local o3 = setmetatable({}, mt3)
o3.a = 1
mt3.__newindex = function(t, k, v) rawset(t, k, v * 10) end
o3.b = 2
print(o3.a, o3.b)
mt3[1] = "array slot"
mt3.__newindex = nil
o3.c = 3
print(o3.c)
-- Methods through __index tables.
local Class = {}
Class.__index = Class
function Class.get(self) return self.v end
local inst = setmetatable({v = 42}, Class)
print(inst:get(), inst.get == Class.get)
print(pcall(function() return inst:missing() end))
-- Indexing non-tables still fails with the variable name.
local n = 5
print(pcall(function() return n.x end))
print(pcall(function() n.x = 1 end))
print(pcall(function() local u; u[1] = 2 end))

-- Number keys at the edges of the array part's fast path (exact i32 test): zeros, fractions,
-- 2^31 and beyond, infinities, NaN.
local nk = {10, 20, 30}
keys = {1, 2, 3, 4, 0, -0.0, -1, 0.5, 1.5, 2^31, 2^31 - 1, -2^31, 2^32 + 1, 2^52 + 1, 2^53,
  1/0, -1/0, 3 + 2^-40}
for _, k in ipairs(keys) do print(k, nk[k]) end
print(nk[0/0])
for _, k in ipairs(keys) do nk[k] = k end
local n = 0
for k, v in pairs(nk) do n = n + 1 end
print(n, #nk, nk[4], nk[-0.0], nk[0], nk[2^31], nk[3 + 2^-40])
print(pcall(function() nk[0/0] = 1 end))
