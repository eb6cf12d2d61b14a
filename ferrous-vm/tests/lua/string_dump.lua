-- string.dump and binary chunks: round trips, upvalues, errors, hostile chunks.
local function hex(s)
  return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end

-- A dump is a binary chunk: header, then the function.
local d = string.dump(function(a, b) return a + b end)
print(#d, hex(d:sub(1, 12)))
print(loadstring(d)(2, 3))

-- Round trips give the same results and the same bytes.
local function fib(n) if n < 2 then return n end local a, b = 0, 1 for i = 2, n do a, b = b, a + b end return b end
local g = loadstring(string.dump(fib))
print(fib(30), g(30), string.dump(g) == string.dump(fib))
local v = loadstring(string.dump(function(...) local t = {...} return select('#', ...), #t, ... end))
print(v(1, nil, 3))
local s = loadstring(string.dump(function() local t = {} for k, v in pairs({x = 1}) do t[#t + 1] = k .. v end return table.concat(t) end))
print(s())

-- A dumped function's upvalues are fresh and nil in the loaded copy; they still work.
local counter = 10
local function inc() counter = (counter or 0) + 1 return counter end
local inc2 = loadstring(string.dump(inc))
print(inc(), inc2(), inc2(), counter)

-- Nested functions and closures survive.
local mk = loadstring(string.dump(function(x) return function(y) return x * y end end))
print(mk(6)(7))

-- Errors name the chunk source kept in the dump.
local bad = loadstring(string.dump(loadstring("local t = nil\nreturn t.x", "=src")))
print(pcall(bad))

-- Dumping natives and non-functions.
print(pcall(string.dump, print))
print(pcall(string.dump, string.dump))
print(pcall(string.dump, 1))
print(pcall(string.dump))

-- Malformed chunks are load errors with lua5.1's messages.
print(loadstring(d:sub(1, 5)))
print(loadstring(d:sub(1, #d - 1)))
print(loadstring(d:sub(1, #d - 1), "=name"))
print(loadstring(d:sub(1, 20), "@file.luac"))
print(loadstring("\27Lua\82" .. d:sub(6)))
-- An unknown constant tag.
local c = string.dump(function() return "k" end)
local at = c:find("\4\2\0\0\0\0\0\0\0k\0", 1, true)
print(loadstring(c:sub(1, at - 1) .. "\9" .. c:sub(at + 1)))
-- Bad code: the final RETURN replaced by a jump to itself.
local r = string.dump(function() end)
local ret = r:find("\30\0\128\0", 1, true)
print(loadstring(r:sub(1, ret - 1) .. "\22\128\255\127" .. r:sub(ret + 4)))
-- A constant index out of range (LOADK 0 9).
local k = string.dump(function() local x = 1 return x end)
local loadk = k:find("\1\0\0\0", 1, true)
print(loadstring(k:sub(1, loadk - 1) .. "\1\64\2\0" .. k:sub(loadk + 4)))

-- load with a reader, and text after the chunk is ignored.
local parts, i = {d:sub(1, 7), d:sub(8, 30), d:sub(31)}, 0
print(load(function() i = i + 1 return parts[i] end)(20, 22))
print(loadstring(d .. "trailing garbage")(1, 1))
