for i, v in ipairs({"a", "b", "c"}) do print(i, v) end
for i, v in ipairs({1, 2, nil, 4}) do print(i, v) end
for i, v in ipairs({}) do print("never") end
local t = {[1] = "x", [2] = "y", [4] = "z"}
for i, v in ipairs(t) do print(i, v) end
local f, s, i = ipairs(t)
print(type(f), s == t, i)
print(f(t, 0))
print(f(t, 2))
print(f(t, 3))
print(pcall(ipairs))
print(pcall(ipairs, 1))
local p = setmetatable({}, {__index = function(_, k) return k * 2 end})
for i, v in ipairs(p) do print("meta", i, v) break end
print(pcall(f, nil, 0))
