"""The county's starting categories, routing rules and step deadlines; the county office
edits them afterwards (they are data, not code)."""

from django.db import migrations

CATEGORIES = [
    ("sanitation", "环境卫生", "simple", "垃圾 卫生 清扫 污水 臭 杂物 堆放 蚊虫 下水道 化粪池"),
    ("roads", "道路设施", "complex", "路灯 道路 坑洼 井盖 破损 路面 桥 护栏 停车 积水"),
    ("utilities", "水电气", "simple", "停水 停电 漏水 水管 电线 燃气 水压 电表 水表"),
    ("neighbours", "邻里纠纷", "simple", "纠纷 吵架 噪音 邻居 矛盾 占用 漏水到楼下"),
    ("safety", "治安消防", "complex", "消防 通道 电动车 充电 安全 隐患 盗窃 监控 火"),
    ("property", "物业管理", "complex", "物业 电梯 门禁 小区 维修基金 绿化 楼道"),
    ("welfare", "民生救助", "complex", "低保 救助 困难 老人 残疾 医保 养老 孤寡 独居"),
    ("planning", "规划建设", "hard", "违建 拆迁 征地 规划 危房 改造 工地 噪声扰民"),
    ("other", "其他", "simple", ""),
]
RULES = [("simple", "unit,building,grid"), ("complex", "grid"), ("hard", "county_office")]
DEADLINES = {
    "simple": {"reported": 1, "assigned": 1, "in_progress": 3, "handled": 1, "inspected": 1,
               "fed_back": 5},
    "complex": {"reported": 1, "assigned": 2, "in_progress": 7, "handled": 2, "inspected": 1,
                "fed_back": 5},
    "hard": {"reported": 10, "assigned": 2, "in_progress": 20, "handled": 3, "inspected": 2,
             "fed_back": 5},
}


def seed(apps, schema_editor):
    Category = apps.get_model("issues", "Category")
    RoutingRule = apps.get_model("issues", "RoutingRule")
    StepDeadline = apps.get_model("issues", "StepDeadline")
    for code, name, tier, keywords in CATEGORIES:
        Category.objects.get_or_create(
            code=code,
            defaults={"name": name, "default_tier": tier, "keywords": "\n".join(keywords.split())},
        )
    for tier, levels in RULES:
        RoutingRule.objects.get_or_create(
            tier=tier, category=None, place_kind="", defaults={"owner_levels": levels}
        )
    for tier, steps in DEADLINES.items():
        for state, days in steps.items():
            StepDeadline.objects.get_or_create(
                tier=tier, state=state, defaults={"working_days": days}
            )


class Migration(migrations.Migration):
    dependencies = [("issues", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
