-- %b balanced matches
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

try("f(a(b)c)d", "%b()")
try("f(a(b)c", "%b()")
try("f)a(", "%b()")
try("[[x]]", "%b[]")
try("{a}{b}", "%b{}")
try("\"a\"b\"", "%b\"\"")
try("xaxbx", "%bxx")
try("abc", "%b")
try("abc", "%ba")
try("(((", "%b()")
try(")))", "%b)(")
try("if (a and (b or c)) then", "%b()")
try("a(b)c(d)e", "%b()")
try("a(b)c(d)e", "%b().-%b()")
try("((a)", "%b()")
try("x(y)", "x%b()$")
print(string.gsub("f(1) + g(2, h(3))", "%b()", "(...)"))
local out = {}
for b in string.gmatch("(a)(b(c))", "%b()") do out[#out + 1] = b end
print(table.concat(out, " "))

