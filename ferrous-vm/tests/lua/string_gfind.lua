-- string.gfind (5.0 name of gmatch, kept by LUA_COMPAT_GFIND)
print(string.gfind == string.gmatch)
for w in string.gfind("one two three", "%a+") do print(w) end
for k, v in string.gfind("a=1,b=2", "(%w+)=(%w+)") do print(k, v) end
print(pcall(string.gfind))
print(pcall(function() return string.gfind() end))
print(pcall(function() return ("x"):gfind() end))
for w in ("x y"):gfind("%a") do print(w) end
string.gfind(nil, "x")
