-- string.format %d %i %u with flags, width, precision
local vals = {0, 1, -1, 42, -42, 3.7, -3.7, 2^31, -2^31, 2^53, 2^63, -2^63, 1e15, 123456789}
local specs = {"%d", "%i", "%u", "%5d", "%-5d|", "%05d", "%+d", "% d", "%.3d", "%8.3d", "%-8.3d|", "%+05d", "%+ d", "%.0d", "%#d", "%010.4d", "%-+6d|", "% 5i", "%+.2u"}
for _, spec in ipairs(specs) do
  local row = {}
  for _, v in ipairs(vals) do row[#row + 1] = string.format(spec, v) end
  print(spec, table.concat(row, ","))
end
print(string.format("%d", "10"), string.format("%d", " 0x1F "), string.format("%d", "1e2"))
print(string.format("%5.0d|", 0), string.format("%.0d|", 0), string.format("%d", -0))
print(string.format("%d %d %d", 1, 2, 3))
print(string.format("%99d", 7):len())
print(pcall(string.format, "%d", "x"))
print(pcall(string.format, "%d"))
print(pcall(string.format, "%d", {}))
print(pcall(string.format, "%d %d", 1))
print(pcall(string.format, "%i", nil))
print(pcall(string.format, "%100d", 1))
print(pcall(string.format, "%1000d", 1))
print(pcall(string.format, "%.100d", 1))
print(pcall(string.format, "%.99d", 1))
string.format("%d", "zz")
