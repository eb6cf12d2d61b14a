-- 5.1's "stop" lasts until "restart", a full collection or a step (each sets a new threshold).
local function churn()
  for i = 1, 1e5 do local t = {} end
  return collectgarbage("count") < 1000
end
collectgarbage("stop"); collectgarbage()
print("after collect", churn())
collectgarbage("stop"); collectgarbage("step")
print("after step", churn())
collectgarbage("stop"); collectgarbage("count"); collectgarbage("setpause", 200)
print("stopped", churn())
collectgarbage("restart")
collectgarbage()
print("restarted", churn())
