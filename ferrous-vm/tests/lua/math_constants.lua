-- math.pi, math.huge, the library table and number printing
print(math.pi, math.huge, -math.huge)
print(math.huge == 1/0, math.huge > 2^1023, -math.huge < -2^1023)
print(string.format("%.20f", math.pi))
local names = {}
for k in pairs(math) do names[#names + 1] = k end
table.sort(names)
print(#names, table.concat(names, " "))
local snames = {}
for k in pairs(string) do snames[#snames + 1] = k end
table.sort(snames)
print(#snames, table.concat(snames, " "))
local tnames = {}
for k in pairs(table) do tnames[#tnames + 1] = k end
table.sort(tnames)
print(#tnames, table.concat(tnames, " "))
for _, n in ipairs(names) do print(n, type(math[n])) end
print(type(unpack), type(string.gfind))
print(math.floor(-0.0), 1 / math.floor(-0.0), math.ceil(-0.5), 1 / math.ceil(-0.5))
print(8 % 3.5, -8 % 3.5, 2^2^3, -2^2)
print(1e308 + 1e308, -(1e308 + 1e308), 1e308 * 10 - 1e308 * 10 ~= 1e308 * 10 - 1e308 * 10)
