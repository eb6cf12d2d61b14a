-- pairs/next visit keys in lua5.1's order, and # finds lua5.1's border, for tables whose keys
-- are strings, numbers and booleans (the hash part is a port of 5.1's node table).

local function keys(t)
  local o = {}
  for k in pairs(t) do o[#o + 1] = tostring(k) end
  return table.concat(o, ' ')
end

-- The examples from the brief.
print(keys({a = 1, b = 2, c = 3, hello = 4, world = 5, [10] = 6, [2.5] = 7}))
local u = {} for i = 1, 10 do u['k' .. i] = i end
print(keys(u))

-- String keys of many lengths, up to well past 32 bytes (the hash then skips bytes).
local s = {}
for len = 0, 80, 3 do s[('x'):rep(len) .. len] = len end
print(keys(s))
local long = {}
for i = 1, 20 do long[('abcdefghij'):rep(4) .. i] = i; long[i .. ('q'):rep(33)] = i end
print(keys(long))

-- Integer keys beyond the array part, negative and float keys.
local n = {}
for i = 100, 1000, 37 do n[i] = true end
print(keys(n))
local neg = {}
for i = -1, -20, -1 do neg[i] = i end
print(keys(neg))
local f = {}
for i = 1, 15 do f[i / 4] = i; f[-i * 1.5] = i end
print(keys(f))
print(keys({[2^31] = 1, [2^53] = 2, [-2^40] = 3, [1e100] = 4, [0] = 5, [-0.5] = 6}))

-- Booleans, and everything mixed.
print(keys({[true] = 1, [false] = 2}))
print(keys({[false] = 1, x = 2, [1] = 3, [3] = 4, [true] = 5, y = 6, [0.5] = 7}))
local m = {}
for i = 1, 30 do
  if i % 3 == 0 then m['s' .. i] = i elseif i % 3 == 1 then m[i * 7] = i else m[i + 0.5] = i end
end
m[true] = 0
print(keys(m))

-- Deleting the current key while traversing, then re-inserting.
local d = {}
for i = 1, 20 do d['d' .. i] = i end
local seen = {}
for k in pairs(d) do seen[#seen + 1] = k; d[k] = nil end
print(table.concat(seen, ' '), next(d))
for i = 20, 1, -2 do d['d' .. i] = i end
print(keys(d))
local e = {}
for i = 1, 12 do e['e' .. i] = i end
for i = 1, 12, 3 do e['e' .. i] = nil end
e.new1 = 1; e.new2 = 2; e.e1 = 'back'
print(keys(e))

-- Grown and shrunk through rehash.
local g = {}
for i = 1, 40 do g['g' .. i] = i end
for i = 1, 36 do g['g' .. i] = nil end
g.after = 1
print(keys(g))
for i = 1, 5 do g[i] = i end
print(keys(g))
local h = {}
for i = 1, 64 do h[i] = i end
for i = 1, 60 do h[i] = nil end
h.x = 1; h.y = 2; h[200] = 3
print(keys(h), #h)

-- Table constructors with both parts.
print(keys({1, 2, 3, a = 1, b = 2, [10] = 3, 4, [0] = 0, c = 5}))
print(keys({'p', 'q', x = 1, y = 2, z = 3, [4] = 'r'}))
local function three() return 1, 2, 3 end
print(keys({three(), k = 1, m = 2}))
print(keys({k = 1, three()}))

-- Borders after nil stores.
local b = {}
for i = 1, 6 do b[i] = i end
for i = 1, 19, 2 do b[i] = nil end
print(#b)
b[#b + 1] = 'x'
print(#b, b[#b])
local c = {}
for i = 1, 10 do c[i] = i end
c[5] = nil
print(#c)
c[20] = 1; c[21] = 2; c.z = 1
print(#c)
local e2 = {}
e2[1] = 1; e2[2] = 2; e2[4] = 4
print(#e2)
e2[3] = nil; e2[5] = 5; e2[6] = 6
print(#e2)
local z = {n = 1}
for i = 1, 9 do z[i * 2] = i end
z[1] = 1
print(#z, keys(z))
