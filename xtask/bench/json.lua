-- A JSON encoder in Lua: recursion over nested tables, arrays vs objects (sorted keys), string
-- escaping with gsub, numbers; run many times over the same document.
local escapes = {
  ['"'] = '\\"', ['\\'] = '\\\\', ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t',
}
local function escape_char(c)
  return escapes[c] or string.format("\\u%04x", string.byte(c))
end

local encode

local function is_array(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n == #t
end

local function encode_table(t, out)
  if is_array(t) then
    out[#out + 1] = "["
    for i = 1, #t do
      if i > 1 then out[#out + 1] = "," end
      encode(t[i], out)
    end
    out[#out + 1] = "]"
  else
    local keys = {}
    for k in pairs(t) do keys[#keys + 1] = tostring(k) end
    table.sort(keys)
    out[#out + 1] = "{"
    for i, k in ipairs(keys) do
      if i > 1 then out[#out + 1] = "," end
      encode(k, out)
      out[#out + 1] = ":"
      encode(t[k], out)
    end
    out[#out + 1] = "}"
  end
end

function encode(v, out)
  local kind = type(v)
  if kind == "string" then
    out[#out + 1] = '"' .. string.gsub(v, '[%c"\\]', escape_char) .. '"'
  elseif kind == "number" then
    if v == math.floor(v) then
      out[#out + 1] = string.format("%d", v)
    else
      out[#out + 1] = string.format("%.4f", v)
    end
  elseif kind == "boolean" then
    out[#out + 1] = v and "true" or "false"
  elseif kind == "table" then
    encode_table(v, out)
  else
    out[#out + 1] = "null"
  end
end

local doc = {users = {}, meta = {version = 3, name = "bench \"doc\"", tags = {"a", "b\tc", "d\n"}}}
for i = 1, 20 do
  doc.users[i] = {
    id = i, name = "user" .. i, score = i * 1.25, active = i % 2 == 0,
    address = {street = i .. " Main St", city = "Town\\" .. i % 3, zip = 10000 + i},
    roles = {"reader", i % 3 == 0 and "admin" or "writer"},
  }
end

local total, s = 0, ""
for _ = 1, 1500 do
  local out = {}
  encode(doc, out)
  s = table.concat(out)
  total = total + #s + s:byte(100)
end
local digest = 0
for i = 1, #s do digest = (digest * 31 + s:byte(i)) % 1000000007 end
print(string.format("%d %d", total, digest))
