-- the string metatable: method calls, indexing strings, error names through methods
local s = "Hello"
print(s:len(), s:upper(), s:lower(), s:rep(2), s:sub(2, 3), s:byte(1))
print(("%d-%s"):format(5, "x"))
print(("a,b,c"):find(","), ("a,b,c"):match("(%a),"), ("a,b"):gsub(",", ";"))
for w in ("one two"):gmatch("%a+") do print(w) end
print(getmetatable("").__index == string)
print(("x").len == string.len)
print(s.nosuch)
print(#getmetatable("abc").__index.format("%5s", "a"))
print(pcall(function() return s:nosuch() end))
print(pcall(function() return ("x"):rep("y") end))
print(pcall(function() return ("x"):sub() end))
print(pcall(function() return ("x"):byte({}) end))
print(pcall(function() return string.sub({}) end))
print(pcall(function() return s.sub() end))
print(pcall(function() return s.sub({}, 1) end))
print(pcall(function() return ("x").rep(nil, 2) end))
print(pcall(function() local f = string.rep; return f() end))
print(pcall(function() local t = {f = string.upper}; return t:f() end))
print(pcall(function() local n = 5; return n:rep(2) end))
print(pcall(function() return (5):rep(2) end))
local n = 42
print(pcall(function() return n:len() end))
string.x = function(self) return "custom " .. self end
print(("y"):x())
string.x = nil
print(pcall(function() return ("y"):x() end))
local mt = getmetatable("")
print(rawequal(mt, getmetatable("other")))
print(("abc"):upper():lower():rep(2):reverse())
print(#("x"):rep(10))
print(("%s=%s"):rep(2, ", "))
local _ = ("x"):bad()
