-- string.format: %d %s %5.2f %x %X %o %-8s %03d %e %g %q %c %%.
local total, digest = 0, 0
local function hash(s)
  for i = 1, #s do digest = (digest * 31 + s:byte(i)) % 1000000007 end
end
local names = {"alpha", "beta", "gamma", "delta", "epsilon"}
for i = 1, 100000 do
  local name = names[i % 5 + 1]
  local a = string.format("%d %s %5.2f", i, name, i / 7)
  local b = string.format("%x %X %o %08x", i, i * 3, i, i)
  local c = string.format("[%-8s] [%8s] %03d %%", name, name, i % 1000)
  local d = string.format("%e %g %.3g", i / 3, i * 1.5, i / 13)
  local e = string.format("%q %c", name .. "\n" .. i, 65 + i % 26)
  total = total + #a + #b + #c + #d + #e + a:byte(-1) + d:byte(1)
  if i % 997 == 0 then hash(a .. b .. c .. d .. e) end
end
print(string.format("%d %d", total, digest))
