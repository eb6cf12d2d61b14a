print()
print(nil)
print(nil, nil)
print(1, "two", nil, true, false)
print(type(nil), type(1), type("s"), type({}), type(print), type(function() end), type(true))
print(type(coroutine.create(function() end)))
print(pcall(type))
print(type(type), type(nil) == "nil")
local old = tostring
tostring = function(v) return "<" .. old(v) .. ">" end
print(1, nil, "x")
tostring = function(v) return nil end
print(pcall(print, 1))
tostring = function(v) return 5 end
print(pcall(print, "a"))
tostring = old
print("restored", 1.5)
print(_VERSION, type(_G), _G._G == _G, _G.print == print)
local t = setmetatable({}, {__tostring = function() return "T!" end})
print(t, "x", t)
print("a\0b")
print(("x"):rep(3), #"\0\0")
