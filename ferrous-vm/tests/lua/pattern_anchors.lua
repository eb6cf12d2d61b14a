-- anchors ^ and $ in find, match, gsub, gmatch
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

try("hello", "^hello$")
try("hello", "^hell$")
try("hello", "^")
try("hello", "$")
try("hello", "^$")
try("", "^$")
try("a^b", "a^b")
try("a$b", "a$b")
try("a$", "a$")
try("$", "^$$")
try("^", "^^")
try("hello", "o$")
try("hello\n", "o$")
try("aaa", "^a")
print(string.find("hello", "^l", 3))
print(string.find("hello", "^l", 4))
print(string.find("hello", "^l", -2))
print(string.match("hello", "^(h)(.*)$"))
local out = {}
for w in string.gmatch("aaa", "^a") do out[#out + 1] = w end
print(#out)
print(string.gsub("aaa", "^a", "b"))
print(string.gsub("aaa", "a$", "b"))
print(string.gsub("aaa", "^", ">"))
print(string.gsub("aaa", "$", "<"))
print(string.gsub("a\nb", "^", ">"))

