-- wrk script: POST /api/v1/leads with a different company on each request,
-- so that duplicate search and audit run as for real reports.
-- Usage: wrk -s scripts/wrk-post-lead.lua -H "Authorization: Bearer T" http://HOST/api/v1/leads
local brands = {"华晋", "晋能", "太行", "汾河", "三晋", "龙城", "恒润", "鑫源", "泰和", "中晟", "宏达", "瑞丰"}
local words = {"智能装备", "生物医药", "新材料", "精密铸造", "轻工制品", "碳纤维", "医疗器械", "镁合金"}
local industries = {"equipment", "biomedicine", "materials", "casting", "light_industry", "materials", "biomedicine", "materials"}
-- WRK_TAG (optional) sets apart the companies of wrk runs made at once.
local tag = os.getenv("WRK_TAG") or ""
local n = 0
local thread_id = 0
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("thread_id", counter)
end

request = function()
  n = n + 1
  local i = (n + thread_id * 7) % #words + 1
  local company = brands[(n * 7 + thread_id) % #brands + 1] .. words[i] .. "压测" .. tag .. thread_id .. "-" .. n .. "有限公司"
  local body = string.format(
    '{"company":"%s","project_name":"压测项目%d","industry":"%s","investment_yuan":%d,"channel":"online","contact_name":"王总","contact_phone":"138%08d"}',
    company, n, industries[i], 100000000 + n, (n * 7919) % 100000000)
  -- nil headers keep the -H ones (the bearer token); a table would replace them.
  wrk.headers["Content-Type"] = "application/json"
  return wrk.format("POST", nil, nil, body)
end
