-- print writes each value as soon as it is converted (5.1's fputs per value): what a
-- __tostring prints comes between, and an error leaves the values before it written.
print(1, setmetatable({}, {__tostring = function() print("inner") return "x" end}), 3)
print(pcall(print, "a", "b", setmetatable({}, {__tostring = function() return {} end}), "c"))
print(pcall(print, "a", setmetatable({}, {__tostring = function() error("boom") end})))
print("nul\0hidden", 1.5, nil, true)
print()
local t = setmetatable({}, {__tostring = function() return 42 end}) print(t, t)
