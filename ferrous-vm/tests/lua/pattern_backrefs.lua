-- back-references %1-%9
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

try("abba", "(.)%1")
try("abba", "(.)(.)%2%1")
try("hello", "(l)%1")
try("xyzxyz", "(x.z)%1")
try("a-a b-c", "(%a)-%1")
try("aa", "%1")
try("aa", "(a)%2")
try("aa", "(a%1)")
try("aa", "()%1")
try("\"quoted\" and \x27single\x27", "([\"\x27])(.-)%1")
try("aaaa", "(a*)%1")
try("abab", "(ab)%1$")
try("aXbXc", "(X).-%1")
try("aa", "(a)%0")
try("aa", "(a)%9")
try("aa", "(a)%1%1")
print(string.gsub("hello wwworld", "(%a)%1+", "<%1>"))
print(string.match("<b>bold</b>", "<(%a+)>(.-)</%1>"))

