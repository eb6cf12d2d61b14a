local t = {10, 20, 30, x = 1, y = 2, z = 3}
local keys = {}
for k, v in pairs(t) do keys[#keys + 1] = tostring(k) .. "=" .. tostring(v) end
-- sort without the table library: insertion sort
for i = 2, #keys do
  local v = keys[i]
  local j = i - 1
  while j >= 1 and keys[j] > v do keys[j + 1] = keys[j]; j = j - 1 end
  keys[j + 1] = v
end
for i = 1, #keys do print(keys[i]) end
print(next({}))
print(next({5}))
print(next({5}, 1))
print(pcall(next, {}, "nokey"))
print(pcall(next))
print(pcall(next, 1))
print(pcall(pairs))
print(pcall(pairs, nil))
local f, s, init = pairs({})
print(f == next, type(s), init)
local count = 0
local big = {}
for i = 1, 100 do big[i] = i; big["k" .. i] = i end
for k, v in pairs(big) do count = count + 1 end
print(count)
-- clearing fields during traversal is allowed
for k in pairs(big) do big[k] = nil end
print(next(big))
local n = 0
for k, v in next, {1, 2, 3} do n = n + v end
print(n)
