-- position captures ()
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

try("hello", "()ll()")
try("hello", "()")
try("hello", "()$")
try("hello", "^()")
try("", "()")
try("abc", "()(b)()")
try("abc", "((b)())")
print(string.find("hello", "()l", 4))
print(string.match("hello", "()", -1))
print(type(string.match("x", "()")))
print(string.gsub("hello", "()", "%1"))
print(string.gsub("abc", "()(.)", "%1%2"))
print(string.gsub("abc", "()", function(p) return "[" .. p .. "]" end))
local t = {}
for a, b in string.gmatch("one two", "()%a+()") do t[#t + 1] = a .. "-" .. b end
print(table.concat(t, " "))

