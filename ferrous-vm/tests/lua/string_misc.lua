-- string values as tables, equality and ordering, long strings, interning-visible behaviour
print(("abc")[1], ("abc").x, #"abc")
print(pcall(function() local s = "abc"; s.x = 1 end))
print(pcall(function() local s = "abc"; s[1] = 1 end))
print("a" == "a", "a" ~= "b", "abc" < "abd", "ab" < "abc", "" == "", "Z" < "a", "a" > "B")
print("10" < "9", "a\0" > "a", "\255" > "\1", "\128" > "\127")
print(pcall(function() return "a" < 1 end))
print(pcall(function() return {} < "a" end))
print(pcall(function() return "a" <= nil end))
local long = string.rep("0123456789", 10000)
print(#long, long:sub(-5), long:byte(50000), #(long .. long))
print(long == string.rep("0123456789", 10000))
local parts = {}
for i = 1, 1000 do parts[i] = i end
local joined = table.concat(parts, ",")
print(#joined, joined:sub(1, 20), joined:sub(-20))
print(select("#", ("x"):byte(1, 0)), ("x"):rep(0) == "", ("x"):sub(2) == "")
print(tostring("x") == "x", tostring(12) == "12", type(tostring(nil)))
print(#string.format("%s%s%s", long, long, long))
print(string.len(string.rep("\0", 1000)))
print(("abc"):upper():lower():len())
local s = "hello"
print(s:find("l"), s:match("l+"), s:gsub("l", "L"))
print(#"\z", "\65\066\0671", "\x41" == "x41")
