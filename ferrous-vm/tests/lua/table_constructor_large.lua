-- A constructor with more than 511 * 50 list items: SETLIST keeps its block number in the
-- word after it, which is not an instruction.
for _, n in ipairs({25550, 25551, 27450, 27451, 30000, 100000}) do
  local items = {}
  for i = 1, n do items[i] = tostring(i) end
  local list = table.concat(items, ",")
  local f, err = loadstring("return {" .. list .. "}")
  print(n, type(f), err)
  local t = f()
  local right = true
  for i = 1, n do
    if t[i] ~= i then right = false end
  end
  print(#t, t[1], t[n], t[n + 1], right)
  -- The last item a multiple-result call: SETLIST with B = 0 after the extra word.
  local g = assert(loadstring("local function two() return 'a', 'b' end return {" .. list .. ", two()}"))
  local t2 = g()
  print(#t2, t2[n], t2[n + 1], t2[n + 2])
  -- Hash items between the list items.
  local h = assert(loadstring("return {x = 1, " .. list .. ", y = 2}"))
  local t3 = h()
  print(#t3, t3.x, t3.y, t3[n])
end
