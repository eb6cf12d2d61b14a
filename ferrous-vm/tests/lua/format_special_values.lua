-- inf, nan and -0 through every float and integer conversion
local inf, nan = 1/0, 0/0
for _, spec in ipairs({"%f", "%e", "%g", "%E", "%G", "%10f|", "%-10e|", "%+g", "% f", "%010f", "%.3f", "%#g", "%5.1G"}) do
  print(spec, string.format(spec, inf), string.format(spec, -inf), string.format(spec, -0.0))
end
print(string.format("%s %s %s", inf, -inf, -0.0))
print(string.format("%d", inf), string.format("%d", -inf))
print(string.format("%x", inf), string.format("%d", 2^63), string.format("%d", -2^64))
print(string.format("%.14g", 2^63), string.format("%.14g", -2^63))
print(tostring(inf), tostring(-inf), tostring(-0.0), tostring(0.0))
print(inf, -inf, -0.0, 0/1, -(0/1))
print(math.huge, -math.huge)
print(string.format("%5s|%-6s|", inf, -inf))
