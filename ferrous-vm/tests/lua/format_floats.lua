-- %f %e %E %g %G with flags, width and precision
local vals = {0, -0.0, 1, -1, 0.5, 1/3, 2/3, 123.456, -123.456, 1e10, 1e-10, 1e15, 1e16, 1e100, 1e-300, 2^53, 0.1, 9.5, 10.5, 0.05, 5e-324, 1.7976931348623157e308}
local specs = {"%f", "%e", "%E", "%g", "%G", "%.0f", "%.1f", "%.3e", "%.10g", "%.0e", "%.0g", "%#.0f", "%#.0e", "%#g", "%#.3g", "%+f", "% e", "%10.2f|", "%-10.2f|", "%010.2f", "%+.3g", "%.14g", "%.17g", "%.20f", "%12.4E", "%-+12.3e|", "% 012.3f"}
for _, spec in ipairs(specs) do
  local row = {}
  for _, v in ipairs(vals) do row[#row + 1] = string.format(spec, v) end
  print(spec, table.concat(row, ","))
end
print(string.format("%.99f", 1/3))
print(string.format("%99.2f|", 1.5):len())
print(#string.format("%.99f", 1e308))
print(string.format("%5.1f|%-7.3e|%g", 3.14159, 2.71828, 100000))
print(string.format("%g %g %g %g", 1e-4, 1e-5, 123456, 1234567))
print(string.format("%f", "1.5"), string.format("%e", " 2 "), string.format("%g", "0x10"))
print(pcall(string.format, "%f", "abc"))
print(pcall(string.format, "%e"))
print(pcall(string.format, "%g", {}))
