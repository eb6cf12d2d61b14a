-- %x %X %o %c
local vals = {0, 1, 255, 4096, -1, -255, 2^32, 2^53, 3.9, 0xDEADBEEF}
for _, spec in ipairs({"%x", "%X", "%o", "%#x", "%#X", "%#o", "%08x", "%-8X|", "%.4x", "%#.4o", "%+x", "% X", "%#10.6x", "%#08x"}) do
  local row = {}
  for _, v in ipairs(vals) do row[#row + 1] = string.format(spec, v) end
  print(spec, table.concat(row, ","))
end
print(string.format("%c%c%c", 76, 117, 97))
print(string.format("%5c|%-5c|", 65, 66))
print(string.format("%c", 256 + 65))
print(string.format("%c", 65.9))
print(#string.format("%c", 0), string.format("%c", 0):byte())
print(string.format("[%c]", 0):byte(1, -1))
print(string.format("%3c", 0):byte(1, -1))
print(pcall(string.format, "%c", "x"))
print(pcall(string.format, "%x"))
print(pcall(string.format, "%o", "1.5x"))
print(string.format("%x", "0x10"), string.format("%X", "  255  "))
