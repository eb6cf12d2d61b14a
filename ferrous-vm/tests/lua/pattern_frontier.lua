-- %f frontier patterns
local function show(...)
  local n = select('#', ...)
  local parts = {}
  for i = 1, n do
    local v = select(i, ...)
    parts[i] = type(v) == "string" and string.format("%q", v) or tostring(v)
  end
  return table.concat(parts, " ")
end
local function try(s, p, init)
  local ok, a = pcall(function() return show(string.find(s, p, init)) end)
  local ok2, b = pcall(function() return show(string.match(s, p, init)) end)
  local ok3, c = pcall(function() return show(string.gsub(s, p, "<%0>")) end)
  print(show(p), "find:", a, "match:", b, "gsub:", c)
end

try("THE (quick) fox", "%f[%a]%a+")
try("THE (quick) fox", "%f[%a]")
try("THE (quick) fox", "%f[%A]")
try("hello", "%f[%l]")
try("hello", "%f[%z]")
try("hello", "%f[^%z]")
try("", "%f[%a]")
try("abc", "%f[a]")
try("abc", "%f[b]")
try("aXb", "%f[%u]%u")
try("abc", "%f")
try("abc", "%fa")
try("abc", "%f[a")
try("the cat sat", "%f[%w]%w+%f[%W]")
print(string.gsub("THE (quick) brown fox", "%f[%a]%a+", "W"))
print(string.gsub("hello world", "%f[%w]%w", string.upper))
local t = {}
for w in string.gmatch("one two  three", "%f[%S].-%f[%s\0]") do t[#t + 1] = w end
print(#t, table.concat(t, "|"))

