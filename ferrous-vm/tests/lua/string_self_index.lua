-- `s:method()` through the strings' metatable when its `__index` changes: another table, a
-- chain of tables, a function, nil, and no metatable at all.
local s = "abc"
local mt = getmetatable(s)
print(s:upper(), s:sub(2), s:byte(-1))
mt.__index = { upper = function(self) return "T:" .. self end }
print(s:upper(), pcall(function() return s:sub(2) end))
mt.__index = setmetatable({}, { __index = string })
print(s:upper(), s:sub(2, 2))
mt.__index = setmetatable({ sub = function() return "own sub" end }, { __index = string })
print(s:sub(1), s:len())
mt.__index = function(str, key) return function(self, x) return key .. "(" .. self .. "," .. tostring(x) .. ")" end end
print(s:anything(1), s:upper())
mt.__index = nil
print(pcall(function() return s:upper() end))
print(pcall(function() local t = "x"; return t:len() end))
mt.__index = string
print(s:upper(), ("xyz"):rep(2))
debug.setmetatable(s, nil)
print(pcall(function() return s:upper() end))
print(getmetatable(s))
debug.setmetatable(s, mt)
print(s:upper(), s:byte(1, -1))
-- Methods added to and removed from the string table between calls.
for i = 1, 3 do
  if i == 2 then string.twice = function(self) return self .. self end end
  if i == 3 then string.twice = nil end
  print(i, pcall(function() return s:twice() end))
end
-- Numbers are not strings here: no method lookup through the strings' metatable.
print(pcall(function() local n = 5; return n:upper() end))
-- Substrings and bytes at the edges.
local long = string.rep("0123456789", 30)
print(#long:sub(5, -5), long:sub(-3), long:sub(0), long:sub(400), long:sub(3, 2) == "")
print(long:byte(299, 400))
print(select("#", long:byte(1, -1)))
print(pcall(string.byte, string.rep("x", 9000), 1, -1))
print(("\0a\0"):sub(2, 3) == "a\0", ("\0a\0"):byte(1, 3))
