print(#{}, #{1}, #{1, 2, 3}, #{nil}, #{1, nil}, #{n = 1})
local t = {}
for i = 1, 100 do t[i] = i end
print(#t)
t[101] = 1
print(#t)
t[100] = nil
t[101] = nil
print(#t)
local h = {}
h[1] = 1 h[2] = 2 h[3] = 3
print(#h)
local s = {1, 2, 3, nil, 5}
print(#s == 5 or #s == 3)
local w = {}
w[1] = true
w[2] = true
w[4] = true
print(#w == 2 or #w == 4)
print(#"", #"abc", #"a\0b")
local lm = setmetatable({}, {__len = function() return 99 end})
print(#lm)
print(pcall(function() return #nil end))
local grow = {}
for i = 1, 10 do grow[#grow + 1] = i * i end
print(#grow, grow[10])
local shrink = {1, 2, 3, 4, 5}
for i = 5, 1, -1 do shrink[#shrink] = nil end
print(#shrink)
local mixed = {1, 2, 3, x = 1, y = 2}
print(#mixed)
local neg = {[-1] = 1, [0] = 0}
print(#neg)
local f = {[1.0] = "a", [2] = "b"}
print(#f)
