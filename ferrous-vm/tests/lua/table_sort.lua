-- table.sort: default order, numbers, strings, stability-free checks
local function dump(t) local r = {} for i = 1, #t do local v = t[i]; r[i] = type(v) == "string" and string.format("%q", v) or tostring(v) end return table.concat(r, " ") end
local t = {5, 3, 8, 1, 9, 2, 7, 4, 6, 0}
table.sort(t)
print(dump(t))
local s = {"banana", "apple", "Cherry", "date", "", "apple2", "a\0b", "a"}
table.sort(s)
print(dump(s))
table.sort(s, function(a, b) return a > b end)
print(dump(s))
local r = {}
for i = 1, 100 do r[i] = (i * 37) % 101 end
table.sort(r)
print(r[1], r[50], r[100])
local ok = true
for i = 2, #r do if r[i - 1] > r[i] then ok = false end end
print(ok)
local e = {}
table.sort(e)
print(#e)
local one = {42}
table.sort(one)
print(dump(one))
local two = {2, 1}
table.sort(two)
print(dump(two))
local three = {3, 1, 2}
table.sort(three)
print(dump(three))
local f = {1.5, -2, 1e10, -1e10, 0, -0.0, 1/0, -1/0, 3}
table.sort(f)
print(dump(f))
local d = {3, 3, 1, 1, 2, 2, 3, 1, 2}
table.sort(d)
print(dump(d))
local big = {}
for i = 1, 1000 do big[i] = (i * 7919) % 1009 end
table.sort(big)
local sorted = true
for i = 2, #big do if big[i - 1] > big[i] then sorted = false end end
print(sorted, big[1], big[1000])
table.sort(big, function(a, b) return a > b end)
print(big[1], big[1000])
local rev = {}
for i = 1, 200 do rev[i] = 201 - i end
table.sort(rev)
print(rev[1], rev[200])
local same = {}
for i = 1, 50 do same[i] = 7 end
table.sort(same)
print(same[1], same[50])
local words = {}
for w in ("the quick brown fox jumps over the lazy dog"):gmatch("%a+") do words[#words + 1] = w end
table.sort(words)
print(dump(words))
table.sort(words, function(a, b) return #a < #b or (#a == #b and a < b) end)
print(dump(words))
local recs = {{n = "b", v = 2}, {n = "a", v = 3}, {n = "c", v = 1}}
table.sort(recs, function(x, y) return x.v < y.v end)
print(recs[1].n, recs[2].n, recs[3].n)
print(table.sort({3, 2, 1}))
print(select("#", table.sort({})))
local withn = {n = 10, 3, 1, 2}
table.sort(withn)
print(dump(withn))
